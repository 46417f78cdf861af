# frozen_string_literal: true

# bench/ruby/bench.rb — Ruby: mocore against mysql2 (Debian ruby-mysql2), side by side
# (bench/run.sh runs it; it also runs alone).
#
#   MOCORE_BENCH_URL=mysql://user:pw@127.0.0.1:3306/db ruby -I build/bindings/ruby bench/ruby/bench.rb
#
# Environment: MOCORE_BENCH_URL, MOCORE_BENCH_ROWS (100000), MOCORE_BENCH_INSERTS (10000),
# MOCORE_BENCH_REPEAT (5). The tables are bench_rows / bench_ins of bench/run.sh (made here
# when missing). Tasks (best of REPEAT, wall clock), the same for both drivers:
#   fetch   all rows of bench_rows as Arrays of native values (Integer, String, Float, Time,
#           BigDecimal), every row visited
#   insert  MOCORE_BENCH_INSERTS single-row INSERTs with 5 values in one transaction
#           (mocore: `?` parameters; mysql2: its usual escaped-interpolation query, and a
#           server-side prepared statement as a second line)
# Impls: mocore (default policy), mocore.prepared (binary protocol throughout), mocore.text
# (text protocol only), mysql2, mysql2-prepared.
# Prints "BENCH ruby <impl> <task> <seconds>"; mysql2 is skipped when not installed.
require "bigdecimal"
require "uri"
require "mocore"

URL = ENV.fetch("MOCORE_BENCH_URL") { abort "bench ruby: set MOCORE_BENCH_URL (mysql://user:pw@host:port/db)" }
ROWS = Integer(ENV.fetch("MOCORE_BENCH_ROWS", "100000"))
INSERTS = Integer(ENV.fetch("MOCORE_BENCH_INSERTS", "10000"))
REPEAT = Integer(ENV.fetch("MOCORE_BENCH_REPEAT", "5"))
FETCH = "SELECT id, name, score, created, amount FROM bench_rows"
AMOUNT = BigDecimal("1234.56")

def values(i)
  [i, "name-#{i}", i * 0.25, Time.local(2024, 1, 1 + i % 28, 12, 30, 15), AMOUNT]
end

def check(n, row)
  raise "fetched #{n} rows, want #{ROWS}" unless n == ROWS
  ok = row[0].is_a?(Integer) && row[1].is_a?(String) && row[2].is_a?(Float) && row[3].is_a?(Time) &&
       row[4].is_a?(BigDecimal)
  raise "untyped row #{row.inspect}" unless ok
end

# Time one run of the block.
def timed
  GC.start
  t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  yield
  Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0
end

def report(impl, task, seconds)
  puts format("BENCH ruby %s %s %.4f", impl, task, seconds)
  $stdout.flush
end

def setup(c)
  return if c.first("SHOW TABLES LIKE 'bench_rows'") && c.scalar("SELECT COUNT(*) FROM bench_rows") == ROWS
  c.execute("DROP TABLE IF EXISTS bench_rows")
  c.execute("CREATE TABLE bench_rows (id INT PRIMARY KEY, name VARCHAR(32), score DOUBLE," \
            " created DATETIME, amount DECIMAL(12,2))")
  c.execute("INSERT INTO bench_rows SELECT seq, CONCAT('name-', seq), seq * 0.25e0," \
            " '2024-01-01 00:00:00' + INTERVAL seq MINUTE, seq / 100 FROM seq_1_to_#{ROWS}")
  c.execute("DROP TABLE IF EXISTS bench_ins")
  c.execute("CREATE TABLE bench_ins LIKE bench_rows")
end

# Each task of each driver: a lambda. The runs are interleaved (round r runs every task once)
# and each task reports its best round, so a load change on the machine hits all drivers alike.
def with_option(url, opt)
  url + (url.include?("?") ? "&" : "?") + opt
end

# "mocore": the default policy (prepare_threshold auto: a statement is prepared from its 2nd
# execution on MySQL/MariaDB, so the inserts run in the binary protocol and the single fetch in
# text); "mocore.prepared": prepare_threshold=1, every statement in the binary protocol (the
# fetch too); "mocore.text": prepare_threshold=0, the text protocol only.
def mocore_tasks
  setup(MoCore::Client.new(URL))
  [["mocore", URL], ["mocore.prepared", with_option(URL, "prepare_threshold=1")],
   ["mocore.text", with_option(URL, "prepare_threshold=0")]].each_with_object({}) do |(impl, url), tasks|
    c = MoCore::Client.new(url)
    tasks[[impl, "fetch"]] = lambda do
      n = 0
      last = nil
      c.execute(FETCH).each { |row| n += 1; last = row }
      check(n, last)
    end
    tasks[[impl, "insert"]] = lambda do
      c.execute("TRUNCATE TABLE bench_ins")
      c.session do |s|
        INSERTS.times { |i| s.execute("INSERT INTO bench_ins VALUES (?, ?, ?, ?, ?)", values(i)) }
      end
    end
  end
end

def mysql2_tasks
  begin
    require "mysql2"
  rescue LoadError => e
    warn "bench ruby: mysql2 skipped (#{e.message}; apt install ruby-mysql2)"
    return {}
  end
  u = URI(URL)
  c = Mysql2::Client.new(host: u.host, port: u.port, username: URI.decode_www_form_component(u.user),
                         password: URI.decode_www_form_component(u.password.to_s),
                         database: u.path.delete_prefix("/"), encoding: "utf8mb4")
  stmt = c.prepare("INSERT INTO bench_ins VALUES (?, ?, ?, ?, ?)")
  {
    ["mysql2", "fetch"] => lambda do
      n = 0
      last = nil
      c.query(FETCH, as: :array).each { |row| n += 1; last = row }
      check(n, last)
    end,
    ["mysql2", "insert"] => lambda do
      c.query("TRUNCATE TABLE bench_ins")
      c.query("BEGIN")
      INSERTS.times do |i|
        id, name, score, created, amount = values(i)
        c.query("INSERT INTO bench_ins VALUES (#{id}, '#{c.escape(name)}', #{score}, " \
                "'#{created.strftime('%Y-%m-%d %H:%M:%S')}', #{amount.to_s('F')})")
      end
      c.query("COMMIT")
    end,
    ["mysql2-prepared", "insert"] => lambda do
      c.query("TRUNCATE TABLE bench_ins")
      c.query("BEGIN")
      INSERTS.times { |i| stmt.execute(*values(i)) }
      c.query("COMMIT")
    end
  }
end

tasks = mocore_tasks.merge(mysql2_tasks)
best = Hash.new(Float::INFINITY)
REPEAT.times do
  tasks.each { |key, fn| best[key] = [best[key], timed(&fn)].min }
end
tasks.each_key { |(impl, task)| report(impl, task, best[[impl, task]]) }
