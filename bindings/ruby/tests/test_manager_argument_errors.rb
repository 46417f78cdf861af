# frozen_string_literal: true

# bindings/ruby/tests/test_manager_argument_errors.rb — every case of
# tests/vectors/manager_argument_errors.toml through Ruby: the same mistake gives the same
# category, operation and message in every language, and nothing reaches the dry-run journal.
# The build writes the vectors as JSON (gen-managers.py --vectors; Ruby's stdlib reads no
# TOML) next to the Ruby layer: <build>/bindings/vectors/manager_argument_errors.json, or
# MOCORE_MANAGER_VECTORS_JSON (ctest sets it). Loaded by test_mocore.rb (ctest ruby.tests).
require "minitest/autorun"
require "json"
require "mocore"

class ManagerArgumentErrorsTest < Minitest::Test
  def self.vectors_path
    env = ENV["MOCORE_MANAGER_VECTORS_JSON"]
    return env if env && !env.empty?

    lib = $LOADED_FEATURES.find { |f| f.end_with?("/mocore.rb") }
    File.expand_path("../vectors/manager_argument_errors.json", File.dirname(lib))
  end

  def test_every_case
    path = self.class.vectors_path
    assert File.exist?(path), "#{path} missing: build the mocore_manager_vectors target"
    cases = JSON.parse(File.read(path)).fetch("case")
    assert_operator cases.length, :>=, 30
    c = MoCore::Client.new("matrixone://u:p@127.0.0.1:1/db?dry_run=true") # port 1: nothing may be sent
    cases.each do |v|
      where = "#{v['manager']}.#{v['method']} #{v['args'].inspect} #{v['kwargs'].inspect}"
      target = v["manager"] == "table" ? c : c.public_send(v["manager"])
      kwargs = (v["kwargs"] || {}).transform_keys(&:to_sym)
      e = assert_raises(MoCore.error_class(v["category"]), where) do
        target.public_send(v["method"], *(v["args"] || []), **kwargs)
      end
      assert_equal v["operation"], e.operation, where
      assert_equal v["message"], e.message, where
      assert_empty c.journal, where
    end
  ensure
    c&.close
  end
end
