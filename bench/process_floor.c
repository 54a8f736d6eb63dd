/* The process floor: an empty, statically linked program. One chartprov
   verify is compared with this in the same hyperfine run. */
int main(void) { return 0; }
