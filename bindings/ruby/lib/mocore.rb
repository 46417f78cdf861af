# frozen_string_literal: true

# mocore — the Ruby binding of the mocore C library (MatrixOne / MySQL / MariaDB).
#
#   require "mocore"
#   client = MoCore::Client.new("mysql://root:111@127.0.0.1:6001/test")   # or a Hash
#   client.execute("SELECT id, name FROM t WHERE id > ?", [10]).each { |id, name| ... }
#   client.execute("SELECT * FROM t").each(as: :hash) { |row| row["name"] }
#   client.session do |s|                    # BEGIN ... COMMIT; ROLLBACK and re-raise on error
#     s.execute("INSERT INTO t (name) VALUES (?)", ["x"])
#   end
#
# Parameters (`?`, substituted safely in C): nil, true/false, Integer, Float, String
# (UTF-8 text; ASCII-8BIT strings are sent as binary), Symbol, BigDecimal, Time, Date,
# DateTime, Array of numbers (vector), Hash (JSON). Every blocking call releases the GVL.
# A client, session or result is used by one thread at a time (concurrent use raises
# MoCore::MisuseError instead of corrupting anything).
require "bigdecimal"
require "date"
require "json"
require "mocore_core"

module MoCore
  # The SWIG extension (bindings/mocore.i): the C API one to one.
  Core = ::Mocore_core
  VERSION = Core.mo_version_string
end

require "mocore/errors"
require "mocore/result"
require "mocore/manager_runtime"
require "mocore/managers"   # generated from bindings/managers.toml
require "mocore/callbacks"
require "mocore/io_wait"
require "mocore/client"
require "mocore/pool"
