# frozen_string_literal: true

# The mocore gem. This gemspec is evaluated in the staged gem tree that
# bindings/ruby/build-gem.rb makes from the source tree (lib/, ext/mocore/ with the C sources,
# the public headers and the SWIG-generated wrapper); build the gem with
#
#   ruby bindings/ruby/build-gem.rb [OUTDIR]      # -> OUTDIR/mocore-<version>.gem
#   gem install OUTDIR/mocore-<version>.gem       # needs a C compiler, ruby-dev, libmariadb-dev
here = __dir__
header = File.read(File.join(here, "ext/mocore/capi/mocore/common.h"))
version = %w[MAJOR MINOR PATCH].map { |p| header[/#define MOCORE_VERSION_#{p} (\d+)/, 1] }.join(".")

Gem::Specification.new do |s|
  s.name = "mocore"
  s.version = version
  s.summary = "Ruby binding of mocore, a session layer for MatrixOne, MySQL and MariaDB"
  s.description = "MoCore::Client, sessions with blocks, typed rows built in C, errors by " \
                  "category, the MatrixOne managers (snapshots, clone, branch, restore, PITR, " \
                  "publications, accounts, vector and fulltext indexes, LOAD DATA, stages, CDC, " \
                  "exports) with keyword arguments. Blocking calls release the GVL."
  s.authors = ["mocore"]
  s.license = "Apache-2.0"
  s.required_ruby_version = ">= 3.1"
  s.files = Dir.chdir(here) { Dir["LICENSE", "lib/**/*.rb", "ext/mocore/**/*.{c,h,def,rb}"] }
  s.extensions = ["ext/mocore/extconf.rb"]
  s.require_paths = ["lib"]
  s.add_dependency "bigdecimal"
end
