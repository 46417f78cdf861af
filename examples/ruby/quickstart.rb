# frozen_string_literal: true

# mocore from Ruby: a client, a query with parameters, a transaction, an error.
#   ruby -I build/bindings/ruby examples/ruby/quickstart.rb mysql://root@127.0.0.1:3306/test
require "mocore"

client = MoCore::Client.new(ARGV[0] || ENV.fetch("MOCORE_URL"))
client.execute("DROP TABLE IF EXISTS quickstart_rb")
client.execute("CREATE TABLE quickstart_rb (id INT PRIMARY KEY, name VARCHAR(32))")

client.session do |s| # BEGIN; COMMIT when the block returns, ROLLBACK + re-raise when it raises
  s.execute("INSERT INTO quickstart_rb (id, name) VALUES (?, ?)", [1, "one"])
  s.execute("INSERT INTO quickstart_rb (id, name) VALUES (?, ?)", [2, "two"])
end

client.execute("SELECT id, name FROM quickstart_rb WHERE id >= ?", [1]).each { |id, name| puts "#{id} #{name}" }
puts "rows: #{client.scalar('SELECT COUNT(*) FROM quickstart_rb')}"

begin
  client.execute("INSERT INTO quickstart_rb (id, name) VALUES (?, ?)", [1, "again"])
  abort "the duplicate key was not refused"
rescue MoCore::ConstraintError => e # an IntegrityError
  puts "duplicate: #{e.code} #{e.sqlstate} #{e.category}"
end
client.execute("DROP TABLE quickstart_rb")
client.close
