# frozen_string_literal: true

# bindings/ruby/tests/gem_smoke.rb OUTDIR — ctest ruby.gem: build the gem from the source tree
# (bindings/ruby/build-gem.rb), install it into OUTDIR/home (compiling the extension the way
# a user's `gem install` does), and use it from a fresh interpreter that sees only that gem
# against the test server.
require "fileutils"
require "rbconfig"

out = File.expand_path(ARGV.fetch(0))
root = File.expand_path("../../..", __dir__)
url = ENV["MOCORE_TEST_URL"] || File.read(File.join(ENV.fetch("MOCORE_TEST_SERVER_DIR"), "url")).strip
FileUtils.rm_rf(out)
ruby = RbConfig.ruby

gem = IO.popen([ruby, File.join(root, "bindings/ruby/build-gem.rb"), out], &:read).lines.last.to_s.strip
abort "gem build failed" unless $?.success? && File.exist?(gem)
home = File.join(out, "home")
# --ignore-dependencies: the isolated GEM_HOME does not see Ruby's default gems (bigdecimal).
system({ "MAKEFLAGS" => "-j2" }, "gem", "install", "--local", "--no-document", "--ignore-dependencies",
       "--install-dir", home, gem, exception: true)

check = <<~RUBY
  require "mocore"
  so = $LOADED_FEATURES.grep(/mocore_core/).first
  raise "loaded \#{so}, not the gem's" unless so&.start_with?(#{home.dump})
  c = MoCore::Client.new(#{url.dump})
  raise "bad result" unless c.scalar("SELECT ? + 1", [41]) == 42
  raise "bad error" unless (begin; c.execute("SELEC"); rescue MoCore::SyntaxError => e; e.code; end) == 1064
  c.session { |s| s.execute("SELECT 1") }
  raise "no load_data layer" unless c.load_data.is_a?(MoCore::Managers::LoadDataManager) && MoCore::Stage
  c.close
  puts "gem ok: \#{so}"
RUBY
env = { "GEM_HOME" => home, "GEM_PATH" => home, "RUBYLIB" => nil, "RUBYOPT" => nil }
system(env, ruby, "-e", check, exception: true)
