-- bindings/lua/mocore_managers.lua — the MatrixOne managers for the Lua binding.
--
--   client.snapshots:create{ name = "s1", level = "database", database = "db" }
--   client.snapshots:create("s1", "database", "db")        -- positional, the SDK's order
--   for _, p in ipairs(client.pitr:list()) do print(p.name, p.range_value) end
--   client:session(function(s) s.account:create_role{ role_name = "r" } end)
--
-- Managers (the MatrixOne Python SDK's names): snapshots, clone, branch, restore, pitr, pubsub,
-- account, on a client (autocommit) and on a session (inside its transaction). Arguments are
-- the SDK's argument names, by name in one table or positionally. Records are plain tables
-- with the SDK's attribute names (built from the one field table in bindings/mocore.i; a
-- field that is absent is nil); lists are arrays of them. Booleans for flags (if_not_exists,
-- if_exists, suspend, lock); accounts and tables of publications may be an array of names.
-- Errors are mocore error tables (category, code, sqlstate, message, operation): bad input
-- -> invalid_argument, MatrixOne-only calls on MySQL/MariaDB -> unsupported (nothing sent).
local core = require "mocore_core"

local M = {}

-- record kind -> { {attribute, accessor}, ... }
local fields = {}
local function record_fields(kind)
  local f = fields[kind]
  if not f then
    f = {}
    for attr, suffix in core.mo_swig_record_fields(kind):gmatch("([%w_]+):([%w_]+):%a") do
      f[#f + 1] = { attr, core["mo_" .. kind .. "_" .. suffix] }
    end
    fields[kind] = f
  end
  return f
end

local function to_record(kind, h)
  local r = {}
  for _, f in ipairs(record_fields(kind)) do r[f[1]] = f[2](h) end
  return r
end

local function to_list(kind, l)
  -- items are borrowed from the list: copy each while `l` is alive
  local out, get = {}, core["mo_" .. kind .. "_list_get"]
  for i = 0, core["mo_" .. kind .. "_list_count"](l) - 1 do out[i + 1] = to_record(kind, get(l, i)) end
  return out
end

local function argerror(op, msg)
  error(setmetatable({ category = "invalid_argument", status = core.MO_E_INVALID_ARGUMENT, code = 0,
                       sqlstate = "", message = msg, operation = op },
                     { __name = "mocore.Error",
                       __tostring = function(e)
                         return ("mocore invalid_argument error (0) in %s: %s"):format(e.operation, e.message)
                       end }), 4)
end

-- Argument specs: "name" required string, "name?" optional string, "name:s=d" string with a
-- default, "name:i=1" integer (with a default), "name:b" flag (false by default), "name:t"
-- tri-state (nil = leave as is), "name:l" / "name:l?" one name or an array of names.
local function convert(op, spec, v)
  local name, rest = spec:match("^([%w_]+)(.*)$")
  local opt = rest:find("?", 1, true) ~= nil
  local kind = rest:match(":(%a)") or "s"
  local default = rest:match("=(.*)$")
  if kind == "b" or kind == "t" then
    if v == nil then return kind == "b" and 0 or -1 end
    if type(v) ~= "boolean" then argerror(op, ("%s must be a boolean, not %s"):format(name, type(v))) end
    return v and 1 or 0
  end
  if v == nil then
    if default then return kind == "i" and math.tointeger(default) or default end
    if opt then return nil end
    argerror(op, name .. " is required (got nil)")
  end
  if kind == "i" then
    local n = math.type(v) and math.tointeger(v)
    if not n then argerror(op, ("%s must be an integer, not %s"):format(name, math.type(v) or type(v))) end
    return n
  end
  if kind == "l" and type(v) == "table" then
    if #v == 0 then argerror(op, name .. " must not be empty") end
    for i = 1, #v do
      if type(v[i]) ~= "string" then argerror(op, ("%s[%d] must be a string, not %s"):format(name, i, type(v[i]))) end
    end
    return table.concat(v, ",")
  end
  if type(v) ~= "string" then argerror(op, ("%s must be a string, not %s"):format(name, type(v))) end
  return v
end

-- manager -> method -> { C function, result kind, argument specs... }; result kinds: a record
-- kind ("snapshot"), a list ("snapshot[]"), "bool", "true", "string", or nil (nothing).
local specs = {
  snapshots = {
    create = { "mo_snapshots_create", "snapshot", "name", "level", "database?", "table?", "description?" },
    get = { "mo_snapshots_get", "snapshot", "name" },
    list = { "mo_snapshots_list", "snapshot[]" },
    delete = { "mo_snapshots_delete", nil, "name" },
    exists = { "mo_snapshots_exists", "bool", "name" },
  },
  clone = {
    clone_database = { "mo_clone_database", nil, "target_db", "source_db", "snapshot_name?", "if_not_exists:b", "to_account?" },
    clone_table = { "mo_clone_table", nil, "target_table", "source_table", "snapshot_name?", "if_not_exists:b", "to_account?" },
    clone_database_with_snapshot = { "mo_clone_database_with_snapshot", nil, "target_db", "source_db", "snapshot_name", "if_not_exists:b" },
    clone_table_with_snapshot = { "mo_clone_table_with_snapshot", nil, "target_table", "source_table", "snapshot_name", "if_not_exists:b" },
  },
  branch = {
    create_table_branch = { "mo_branch_create_table", nil, "target_table", "source_table", "snapshot_name?", "to_account?" },
    delete_table_branch = { "mo_branch_delete_table", nil, "table" },
    create_database_branch = { "mo_branch_create_database", nil, "target_database", "source_database" },
    delete_database_branch = { "mo_branch_delete_database", nil, "database" },
    merge_table = { "mo_branch_merge_table", nil, "source_table", "target_table", "on_conflict:s=skip" },
    -- diff_table: below (its output argument picks the C mode)
  },
  restore = {
    restore_cluster = { "mo_restore_cluster", "true", "snapshot_name" },
    restore_tenant = { "mo_restore_tenant", "true", "snapshot_name", "account_name", "to_account?" },
    restore_database = { "mo_restore_database", "true", "snapshot_name", "account_name", "database_name", "to_account?" },
    restore_table = { "mo_restore_table", "true", "snapshot_name", "account_name", "database_name", "table_name", "to_account?" },
  },
  pitr = {
    create_cluster_pitr = { "mo_pitr_create_cluster", "pitr", "name", "range_value:i=1", "range_unit:s=d" },
    create_account_pitr = { "mo_pitr_create_account", "pitr", "name", "account_name?", "range_value:i=1", "range_unit:s=d" },
    create_database_pitr = { "mo_pitr_create_database", "pitr", "name", "database_name", "range_value:i=1", "range_unit:s=d" },
    create_table_pitr = { "mo_pitr_create_table", "pitr", "name", "database_name", "table_name", "range_value:i=1", "range_unit:s=d" },
    get = { "mo_pitr_get", "pitr", "name" },
    list = { "mo_pitr_list_pitrs", "pitr[]", "level?", "account_name?", "database_name?", "table_name?" },
    alter = { "mo_pitr_alter", "pitr", "name", "range_value:i", "range_unit" },
    delete = { "mo_pitr_delete", "true", "name" },
  },
  pubsub = {
    create_database_publication = { "mo_pubsub_create_database_publication", "publication", "name", "database", "account:l" },
    create_table_publication = { "mo_pubsub_create_table_publication", "publication", "name", "database", "table:l", "account:l" },
    get_publication = { "mo_pubsub_get_publication", "publication", "name" },
    list_publications = { "mo_pubsub_list_publications", "publication[]", "account?", "database?" },
    alter_publication = { "mo_pubsub_alter_publication", "publication", "name", "account:l?", "database?", "table:l?" },
    drop_publication = { "mo_pubsub_drop_publication", "true", "name" },
    show_create_publication = { "mo_pubsub_show_create_publication", "string", "name" },
    create_subscription = { "mo_pubsub_create_subscription", "subscription", "subscription_name", "publication_name", "publisher_account" },
    get_subscription = { "mo_pubsub_get_subscription", "subscription", "name" },
    list_subscriptions = { "mo_pubsub_list_subscriptions", "subscription[]", "pub_account?", "pub_database?" },
  },
  account = {
    create_account = { "mo_account_create_account", "account", "account_name", "admin_name", "password", "comment?" },
    drop_account = { "mo_account_drop_account", nil, "account_name", "if_exists:b" },
    alter_account = { "mo_account_alter_account", "account", "account_name", "comment?", "suspend:t", "suspend_reason?" },
    get_account = { "mo_account_get_account", "account", "account_name" },
    list_accounts = { "mo_account_list_accounts", "account[]" },
    create_user = { "mo_account_create_user", "user", "user_name", "password", "comment?" },
    drop_user = { "mo_account_drop_user", nil, "user_name", "if_exists:b" },
    alter_user = { "mo_account_alter_user", "user", "user_name", "password?", "comment?", "lock:t", "lock_reason?" },
    get_current_user = { "mo_account_get_current_user", "user" },
    list_users = { "mo_account_list_users", "user[]" },
    create_role = { "mo_account_create_role", "role", "role_name", "comment?" },
    drop_role = { "mo_account_drop_role", nil, "role_name", "if_exists:b" },
    get_role = { "mo_account_get_role", "role", "role_name" },
    list_roles = { "mo_account_list_roles", "role[]" },
    grant_privilege = { "mo_account_grant_privilege", nil, "privilege", "object_type?", "object_name", "to_user?", "to_role?" },
    revoke_privilege = { "mo_account_revoke_privilege", nil, "privilege", "object_type?", "object_name", "from_user?", "from_role?" },
    grant_role = { "mo_account_grant_role", nil, "role_name", "to_user" },
    revoke_role = { "mo_account_revoke_role", nil, "role_name", "from_user" },
    list_grants = { "mo_account_list_grants", "grant[]", "user?" },
  },
}

-- Arguments: one table of named arguments, or positional values in the spec's order.
local function collect(op, spec, ...)
  local n = select("#", ...)
  local first = ...
  local named = n == 1 and type(first) == "table"
  local args = {}
  for i = 3, #spec do
    local name = spec[i]:match("^([%w_]+)")
    local v
    if named then v = first[name] else v = (select(i - 2, ...)) end
    args[i - 2] = convert(op, spec[i], v)   -- by index: optional values may be nil
  end
  if not named and n > #spec - 2 then argerror(op, ("expected at most %d arguments, got %d"):format(#spec - 2, n)) end
  return args
end

local function method(manager, name, spec)
  local op = manager .. "." .. name
  local fn, result = core[spec[1]], spec[2]
  assert(fn, spec[1])
  return function(self, ...)
    if type(self) ~= "table" or not self.owner then argerror(op, "call it as a method: " .. manager .. ":" .. name .. "{...}") end
    local args = collect(op, spec, ...)
    local n = #spec - 2
    local v = fn(self.owner:_executor(), table.unpack(args, 1, n))
    if result == nil then return nil end
    if result == "true" then return true end
    if result == "bool" then return v ~= 0 end
    if result == "string" then return v end
    local kind, list = result:match("^(%a+)(%[?%]?)$")
    if list ~= "" then return to_list(kind, v) end
    return to_record(kind, v)
  end
end

local managers = {}
for manager, methods in pairs(specs) do
  local cls = {}
  cls.__index = cls
  for name, spec in pairs(methods) do cls[name] = method(manager, name, spec) end
  managers[manager] = cls
end

local diff_modes = { rows = core.MO_BRANCH_DIFF_ROWS, count = core.MO_BRANCH_DIFF_COUNT,
                     limit = core.MO_BRANCH_DIFF_LIMIT, file = core.MO_BRANCH_DIFF_FILE,
                     as_table = core.MO_BRANCH_DIFF_AS_TABLE }
-- branch:diff_table{table=, against_table=, snapshot_name=, output="rows"|"count"|"limit"|
-- "file"|"as_table", limit=, output_file=, output_table=, table_snapshot=} -> array of rows
local diff_spec = { "table", "against_table", "snapshot_name?", "output:s=rows" }
function managers.branch.diff_table(self, ...)
  local op = "branch.diff_table"
  if type(self) ~= "table" or not self.owner then argerror(op, "call it as a method: branch:diff_table{...}") end
  local args = collect(op, { "", "", table.unpack(diff_spec) }, ...)
  local named = select("#", ...) == 1 and type((...)) == "table" and (...) or {}
  local mode = diff_modes[args[4]]
  if not mode then argerror(op, "output must be rows, count, limit, file or as_table, got " .. tostring(args[4])) end
  local limit, target = 0, nil
  if args[4] == "limit" then
    limit = convert(op, "limit:i", named.limit)
    if limit < 0 then argerror(op, "limit must be >= 0") end
  end
  if args[4] == "file" then target = convert(op, "output_file", named.output_file) end
  if args[4] == "as_table" then target = convert(op, "output_table", named.output_table) end
  local h = core.mo_branch_diff_table(self.owner:_executor(), args[1],
                                      convert(op, "table_snapshot?", named.table_snapshot),
                                      args[2], args[3], mode, limit, target)
  local rows = {}
  for row in core.mo_lua_fetch, h do rows[#rows + 1] = row end
  return rows
end

-- Install the manager attributes on a class whose instances have :_executor().
function M.install(cls)
  local index = cls.__index
  cls.__index = function(obj, key)
    local m = managers[key]
    if m then
      local mgr = setmetatable({ owner = obj }, m)
      rawset(obj, key, mgr)
      return mgr
    end
    if type(index) == "function" then return index(obj, key) end
    return index[key]
  end
end

M.names = {}
for k in pairs(managers) do M.names[#M.names + 1] = k end
table.sort(M.names)

return M
