#!/usr/bin/env ruby
# frozen_string_literal: true

# bindings/ruby/build-gem.rb — build the mocore gem from the source tree.
#
#   ruby bindings/ruby/build-gem.rb [OUTDIR]     (default: ./pkg)
#
# Stages a gem tree in OUTDIR/stage: lib/ (the Ruby layer, with lib/mocore/managers.rb generated
# from bindings/managers.toml by bindings/gen-managers.py), ext/mocore/ (extconf.rb, the C
# library's sources and headers, the SWIG wrapper generated here from bindings/mocore.i and
# the GVL shims generated from abi/mocore.manifest), then runs `gem build`. The gem needs no
# SWIG to install: only a C compiler, the Ruby headers and libmariadb-dev.
require "fileutils"

root = File.expand_path("../..", __dir__)
out = File.expand_path(ARGV[0] || "pkg")
stage = File.join(out, "stage")
ext = File.join(stage, "ext/mocore")
FileUtils.rm_rf(stage)
FileUtils.mkdir_p([ext, File.join(stage, "lib")])

FileUtils.cp_r(Dir[File.join(root, "bindings/ruby/lib/*")], File.join(stage, "lib"))
# The managers are generated from bindings/managers.toml (Python 3.11+, stdlib only).
python = %w[python3 python].find { |p| system("command -v #{p} >/dev/null 2>&1") } or
  abort "build-gem: python3 not found (it generates lib/mocore/managers.rb from bindings/managers.toml)"
system(python, File.join(root, "bindings/gen-managers.py"), "--lang", "ruby", "--out",
       File.join(stage, "lib/mocore/managers.rb"), exception: true)
FileUtils.cp(File.join(root, "bindings/ruby/mocore.gemspec"), stage)
FileUtils.cp(File.join(root, "LICENSE"), stage)
FileUtils.cp(File.join(root, "bindings/ruby/ext/mocore/extconf.rb"), ext)
FileUtils.cp_r(File.join(root, "capi"), ext)
%w[core managers].each do |d|
  FileUtils.mkdir_p(File.join(ext, "src", d))
  FileUtils.cp(Dir[File.join(root, "src", d, "*.{c,h}")], File.join(ext, "src", d))
end
# The manager calls (bindings/managers/call.h) and their method table, generated.
calls = File.join(ext, "bindings/managers")
FileUtils.mkdir_p(calls)
FileUtils.cp(Dir[File.join(root, "bindings/managers/*.{c,h}")], calls)
system(python, File.join(root, "bindings/gen-managers.py"), "--lang", "c", "--out",
       File.join(calls, "managers_table.c"), exception: true)

ruby = RbConfig.ruby
system(ruby, File.join(root, "bindings/ruby/gen_nogvl.rb"), File.join(root, "abi/mocore.manifest"),
       File.join(ext, "mocore_ruby_nogvl.h"), exception: true)
swig = %w[swig4.0 swig].find { |s| system("command -v #{s} >/dev/null 2>&1") } or
  abort "build-gem: swig not found (install swig)"
system(swig, "-ruby", "-I#{File.join(root, 'capi')}", "-I#{File.join(root, 'bindings')}", "-outdir", ext,
       "-o", File.join(ext, "mocore_ruby_wrap.c"), File.join(root, "bindings/mocore.i"), exception: true)

Dir.chdir(stage) do
  system("gem", "build", "--silent", "mocore.gemspec", exception: true)
  gem = Dir["mocore-*.gem"].first
  FileUtils.mv(gem, out)
  puts File.join(out, gem)
end
