# frozen_string_literal: true

# examples/ruby/mysql2_style.rb — a program written for the mysql2 gem. With
# MOCORE_MYSQL2_REAL=1 it requires the real gem; otherwise mocore's layer: that require is
# the only difference (ctest ruby.mysql2_example runs it; tests/test_mysql2.rb runs it with
# both and compares the output line by line).
#
#   ruby -I build/bindings/ruby examples/ruby/mysql2_style.rb mysql://user:pw@127.0.0.1:3306/db
require "bigdecimal"
require "uri"
if ENV["MOCORE_MYSQL2_REAL"] == "1"
  require "mysql2"
else
  require "mocore/mysql2"
end

url = URI(ARGV[0] || ENV.fetch("MOCORE_URL"))
client = Mysql2::Client.new(host: url.host, port: url.port, username: URI.decode_www_form_component(url.user),
                            password: URI.decode_www_form_component(url.password.to_s),
                            database: url.path.delete_prefix("/"), connect_timeout: 10, encoding: "utf8mb4")
table = "mysql2_style_#{Process.pid}"
show = ->(v) { v.is_a?(Time) ? v.strftime("%Y-%m-%d %H:%M:%S.%6N") : v.inspect }

begin
  puts "ping: #{client.ping}"
  puts "server_info keys: #{client.server_info.keys.sort.inspect}"
  client.query("DROP TABLE IF EXISTS #{table}")
  client.query(<<~SQL)
    CREATE TABLE #{table} (
      id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL UNIQUE, score DOUBLE,
      price DECIMAL(10,2), qty DECIMAL(10,0), born DATE, seen DATETIME(6), note TEXT, raw VARBINARY(8))
  SQL
  name = "O'Brien \\ \"quoted\""
  client.query("INSERT INTO #{table} (name, score, price, qty, born, seen, note, raw) VALUES " \
               "('#{client.escape(name)}', 1.5, 12.30, 7, '2024-02-29', '2024-03-01 12:34:56.789012', NULL, 'ab')")
  puts "insert: affected_rows=#{client.affected_rows} last_id=#{client.last_id}"

  stmt = client.prepare("INSERT INTO #{table} (name, score, price, qty) VALUES (?, ?, ?, ?)")
  stmt.execute("Zoë", 2.25, BigDecimal("99.99"), 3)
  puts "stmt insert: affected_rows=#{stmt.affected_rows} last_id=#{stmt.last_id}"
  stmt.execute("third", nil, nil, nil)

  result = client.query("SELECT id, name, score, price, qty, born, seen, note, raw FROM #{table} ORDER BY id")
  puts "fields: #{result.fields.inspect} count: #{result.count} size: #{result.size}"
  result.each do |row|
    puts row.map { |k, v| "#{k}=#{show.call(v)}:#{v.class}" }.join(" ")
  end
  puts "again: #{result.to_a.length} rows, first name #{result.first['name'].inspect}"
  client.query("SELECT id, name FROM #{table} ORDER BY id", as: :array).each { |r| puts r.inspect }
  client.query("SELECT name FROM #{table} WHERE id = 1", symbolize_keys: true).each { |r| puts r.inspect }
  client.query("SELECT id, price, born FROM #{table} ORDER BY id LIMIT 1", cast: false).each { |r| puts r.inspect }
  streamed = client.query("SELECT id FROM #{table} ORDER BY id", stream: true, cache_rows: false)
  puts "streamed: #{streamed.map { |r| r['id'] }.inspect}"

  sel = client.prepare("SELECT name, qty FROM #{table} WHERE id > ? ORDER BY id")
  puts "stmt select: #{sel.execute(1).to_a.inspect}"
  puts "update: #{client.query("UPDATE #{table} SET score = 9 WHERE id > 1").inspect} " \
       "affected_rows=#{client.affected_rows}"
  puts "round trip: #{client.query("SELECT name FROM #{table} WHERE id = 1").first['name'] == name}"

  begin
    client.query("INSERT INTO #{table} (name) VALUES ('third')")
  rescue Mysql2::Error => e
    puts "duplicate: #{e.class} error_number=#{e.error_number} sql_state=#{e.sql_state}"
  end
  begin
    client.query("SELEKT 1")
  rescue Mysql2::Error => e
    puts "bad sql: #{e.class} error_number=#{e.error_number} sql_state=#{e.sql_state}"
  end
ensure
  client.query("DROP TABLE IF EXISTS #{table}") unless client.closed?
  client.close
end
puts "closed?: #{client.closed?}"
begin
  client.query("SELECT 1")
rescue Mysql2::Error => e
  puts "closed client: #{e.class} #{e.message}"
end
