#include "oci/docker_config.hpp"

#include <gtest/gtest.h>

namespace chartprov::oci {
namespace {

TEST(DockerConfig, FindsInlineCredentialsByHostWhateverTheKeySpelling) {
  for (const char* key : {"registry.example.com", "https://registry.example.com", "https://registry.example.com/v1/"}) {
    const std::string cfg = std::string(R"({"auths":{")") + key + R"(":{"auth":"dXNlcjpwYTpzcw=="}}})";  // user:pa:ss
    auto e = docker_auth_for(cfg, "registry.example.com");
    ASSERT_TRUE(e.ok()) << e.error().message;
    ASSERT_TRUE(e->credentials.has_value()) << key;
    EXPECT_EQ(e->credentials->username, "user");
    EXPECT_EQ(e->credentials->password.str(), "pa:ss");
  }
  auto other = docker_auth_for(R"({"auths":{"other.example.com":{"auth":"dXNlcjpwYXNz"}}})", "registry.example.com");
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->credentials.has_value());
}

TEST(DockerConfig, UsernamePasswordFieldsAndHelpers) {
  auto e = docker_auth_for(R"({"auths":{"h:5000":{"username":"u","password":"p"}}})", "h:5000");
  ASSERT_TRUE(e.ok() && e->credentials);
  EXPECT_EQ(e->credentials->username, "u");
  auto helper = docker_auth_for(R"({"credHelpers":{"ghcr.io":"gh"},"credsStore":"desktop"})", "ghcr.io");
  ASSERT_TRUE(helper.ok());
  EXPECT_EQ(helper->helper, "gh");
  auto store = docker_auth_for(R"({"credHelpers":{"ghcr.io":"gh"},"credsStore":"desktop"})", "quay.io");
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(store->helper, "desktop");
}

TEST(DockerConfig, RefusesWhatCouldRunSomethingElseOrIsGarbled) {
  EXPECT_FALSE(docker_auth_for(R"({"credsStore":"../../bin/sh"})", "h").ok());
  EXPECT_FALSE(docker_auth_for(R"({"credsStore":"a b"})", "h").ok());
  EXPECT_FALSE(docker_auth_for(R"({"auths":{"h":{"auth":"!!"}}})", "h").ok());
  EXPECT_FALSE(docker_auth_for(R"({"auths":{"h":{"auth":"bm9jb2xvbg=="}}})", "h").ok());  // "nocolon"
  EXPECT_FALSE(docker_auth_for("not json", "h").ok());
  EXPECT_FALSE(docker_auth_for(std::string(2u << 20, ' '), "h").ok());
}

TEST(DockerConfig, HelperAnswers) {
  auto c = parse_helper_answer(R"({"ServerURL":"h","Username":"u","Secret":"s"})");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->password.str(), "s");
  EXPECT_FALSE(parse_helper_answer(R"({"Username":"u"})").ok());
  EXPECT_FALSE(parse_helper_answer("credentials not found").ok());
}

}  // namespace
}  // namespace chartprov::oci
