#include "cli/main.hpp"

int main(int argc, char** argv) { return chartprov::cli::run(argc, argv); }
