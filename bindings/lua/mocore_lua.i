/* bindings/lua/mocore_lua.i — Lua 5.4 idioms for bindings/mocore.i.
 *
 * Errors are raised as tables {category, code, sqlstate, message, operation, status} with the
 * metatable "mocore.Error" (__tostring), so pcall returns them as values. Rows come from
 * mo_lua_fetch(): one C call per row, an array table of native values (integers, floats;
 * DECIMAL, dates and times as strings; BLOB/TEXT as strings; NULL as nil — a hole). */
%{
#include <lua.h>
#include <lauxlib.h>
#include "internal.h"   /* src/core: mo_buf and the literal writer, for mo_lua_escape */

static int mo_lua_error_tostring(lua_State *L) {
    lua_getfield(L, 1, "message"); lua_getfield(L, 1, "category");
    lua_getfield(L, 1, "code"); lua_getfield(L, 1, "operation");
    lua_pushfstring(L, "mocore %s error (%s) in %s: %s", luaL_optstring(L, 3, "?"),
                    luaL_optstring(L, 4, "0"), luaL_optstring(L, 5, "?"), luaL_optstring(L, 2, ""));
    return 1;
}
static void mo_lua_push_error(lua_State *L, const mo_error *e, mo_status status) {
    mo_status cat = e ? mo_error_category(e) : status;
    lua_createtable(L, 0, 6);
    lua_pushstring(L, mo_error_category_name(cat)); lua_setfield(L, -2, "category");
    lua_pushinteger(L, cat); lua_setfield(L, -2, "status");
    lua_pushinteger(L, e ? mo_error_server_code(e) : 0); lua_setfield(L, -2, "code");
    lua_pushstring(L, e ? mo_error_sqlstate(e) : ""); lua_setfield(L, -2, "sqlstate");
    lua_pushstring(L, e ? mo_error_message(e) : mo_error_category_name(cat)); lua_setfield(L, -2, "message");
    lua_pushstring(L, e ? mo_error_operation(e) : ""); lua_setfield(L, -2, "operation");
    if (luaL_newmetatable(L, "mocore.Error")) {
        lua_pushcfunction(L, mo_lua_error_tostring); lua_setfield(L, -2, "__tostring");
    }
    lua_setmetatable(L, -2);
}
/* In the wrappers `L` is in scope; SWIG_fail then raises the table on top of the stack. */
#define mo_swig_raise(e, st) mo_lua_push_error(L, (e), (st))
/* A caller mistake found in the wrapper (a NUL inside a name, a wrong type): the
 * invalid_argument error table, with `op` and `msg`. */
static void mo_lua_push_invalid(lua_State *L, const char *op, const char *msg) {
    mo_lua_push_error(L, NULL, MO_E_INVALID_ARGUMENT);
    lua_pushstring(L, msg); lua_setfield(L, -2, "message");
    lua_pushstring(L, op); lua_setfield(L, -2, "operation");
}
#define mo_swig_raise_invalid(op, msg) mo_lua_push_invalid(L, (op), (msg))
/* mo_lua_raise_invalid(operation, message): raise that table from Lua code (mocore.lua, the
 * manager runtime), so every Lua error table is built here, in one place, with one
 * metatable. */
static int mo_lua_raise_invalid(lua_State *L) {
    mo_lua_push_invalid(L, luaL_checkstring(L, 1), luaL_checkstring(L, 2));
    return lua_error(L);
}
%}

/* C strings in (the shared typemap in mocore.i rejects a NUL): a string (or a number, which
 * Lua converts) with its length, nil -> NULL; anything else is invalid_argument. */
%define MO_SWIG_CSTR_GET(INPUT, PTR, LEN)
    if (lua_isnoneornil(L, INPUT)) { PTR = NULL; LEN = 0; }
    else if (lua_type(L, INPUT) == LUA_TSTRING || lua_type(L, INPUT) == LUA_TNUMBER) {
        PTR = (char *)lua_tolstring(L, INPUT, &LEN);
    } else {
        lua_pushfstring(L, "argument '$1_name' must be a string, got %s", luaL_typename(L, INPUT));
        mo_lua_push_invalid(L, "$symname", lua_tostring(L, -1));
        lua_remove(L, -2);
        SWIG_fail;
    }
%enddef

%define MO_SWIG_OUT_VOID
%enddef
%define MO_SWIG_OUT_INT(X)
    lua_pushinteger(L, (lua_Integer)(X)); SWIG_arg++;
%enddef
%define MO_HANDLE_OUT(TYPE)
%typemap(in, numinputs=0) TYPE **out (TYPE *tmp = NULL) { $1 = &tmp; }
%typemap(argout) TYPE **out { SWIG_NewPointerObj(L, *$1, $*descriptor, 1); SWIG_arg++; }
%enddef

%typemap(in, checkfn="") (const char *MO_BYTES, size_t MO_BYTES_LEN) {
    if (lua_isnil(L, $input)) { $1 = NULL; $2 = 0; }
    else if (lua_type(L, $input) == LUA_TSTRING) { size_t n; $1 = ($1_ltype)lua_tolstring(L, $input, &n); $2 = n; }
    else { lua_pushfstring(L, "expected a string, got %s", luaL_typename(L, $input)); SWIG_fail; }
}
%typemap(in, numinputs=0) (const char **MO_STR_OUT, size_t *MO_STR_OUT_LEN)
    (const char *s = NULL, size_t n = 0) { $1 = ($1_ltype)&s; $2 = &n; }
%typemap(argout) (const char **MO_STR_OUT, size_t *MO_STR_OUT_LEN) {
    if (*$1) lua_pushlstring(L, *$1, *$2); else lua_pushnil(L);
    SWIG_arg++;
}
%typemap(in, numinputs=0) const char **MO_CSTR_OUT (const char *s = NULL) { $1 = ($1_ltype)&s; }
%typemap(argout) const char **MO_CSTR_OUT { if (*$1) lua_pushstring(L, *$1); else lua_pushnil(L); SWIG_arg++; }
%define MO_INT_OUT_TYPE(TYPE)
%typemap(in, numinputs=0) TYPE *MO_INT_OUT (TYPE v = 0) { $1 = &v; }
%typemap(argout) TYPE *MO_INT_OUT { lua_pushinteger(L, (lua_Integer)*$1); SWIG_arg++; }
%enddef
MO_INT_OUT_TYPE(int) MO_INT_OUT_TYPE(unsigned) MO_INT_OUT_TYPE(mo_type) MO_INT_OUT_TYPE(mo_server_kind)
MO_INT_OUT_TYPE(size_t) MO_INT_OUT_TYPE(int64_t) MO_INT_OUT_TYPE(uint64_t)
%typemap(in, numinputs=0) double *MO_DOUBLE_OUT (double v = 0) { $1 = &v; }
%typemap(argout) double *MO_DOUBLE_OUT { lua_pushnumber(L, *$1); SWIG_arg++; }

/* The vector searches: a vector is an array of numbers (sent as float64 text); nil -> NULL (the C side
 * reports invalid_argument). */
%typemap(in, checkfn="") (const void *MO_VEC, size_t MO_VEC_LEN, mo_vector_element MO_VEC_ELEM)
    (double *copy = NULL) {
    $1 = NULL; $2 = 0; $3 = MO_VECTOR_F64;
    if (!lua_isnoneornil(L, $input)) {
        if (!lua_istable(L, $input)) {
            mo_lua_push_invalid(L, "$symname", "a vector must be an array of numbers");
            SWIG_fail;
        }
        lua_Integer n = luaL_len(L, $input);
        copy = (double *)malloc((size_t)(n > 0 ? n : 1) * sizeof *copy);
        if (!copy) { mo_lua_push_error(L, NULL, MO_E_RESOURCE); SWIG_fail; }
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, $input, i);
            int isnum = lua_type(L, -1) == LUA_TNUMBER;
            copy[i - 1] = isnum ? (double)lua_tonumber(L, -1) : 0.0;
            lua_pop(L, 1);
            if (!isnum) { mo_lua_push_invalid(L, "$symname", "vector elements must be numbers"); SWIG_fail; }
        }
        $1 = copy; $2 = (size_t)n;
    }
}
%typemap(freearg) (const void *MO_VEC, size_t MO_VEC_LEN, mo_vector_element MO_VEC_ELEM) { free(copy$argnum); }
%{
/* Fill v[0..n) from the array at idx: strings (field `at` of each {name, type} pair when
 * at > 0), each checked for NUL. Strings stay referenced by the array during the call. */
static int mo_lua_strv(lua_State *L, int idx, const char **v, lua_Integer n, int at,
                       const char *what, const char *op) {
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, idx, i);
        if (at) {
            if (!lua_istable(L, -1)) { lua_pop(L, 1); mo_lua_push_invalid(L, op, "columns must be {name, type} pairs"); return -1; }
            lua_rawgeti(L, -1, at);
            lua_remove(L, -2);
        }
        size_t len = 0;
        if (lua_type(L, -1) != LUA_TSTRING) {
            lua_pop(L, 1);
            lua_pushfstring(L, "%s[%d] must be a string", what, (int)i);
            mo_lua_push_invalid(L, op, lua_tostring(L, -1));
            lua_remove(L, -2);
            return -1;
        }
        v[i - 1] = lua_tolstring(L, -1, &len);
        lua_pop(L, 1);   /* the array still references the string */
        char msg[160];
        if (mo_swig_cstr_nul(v[i - 1], len, what, msg, sizeof msg)) { mo_lua_push_invalid(L, op, msg); return -1; }
    }
    return 0;
}
%}
/* Names (insert columns): an array of strings; nil -> NULL. */
%typemap(in, checkfn="") (const char *const *MO_STRV, size_t MO_STRV_LEN) (const char **v = NULL) {
    $1 = NULL; $2 = 0;
    if (!lua_isnoneornil(L, $input)) {
        if (!lua_istable(L, $input)) { mo_lua_push_invalid(L, "$symname", "columns must be an array of names"); SWIG_fail; }
        lua_Integer n = luaL_len(L, $input);
        v = (const char **)calloc((size_t)(n > 0 ? n : 1), sizeof *v);
        if (!v) { mo_lua_push_error(L, NULL, MO_E_RESOURCE); SWIG_fail; }
        if (mo_lua_strv(L, $input, v, n, 0, "$1_name", "$symname") < 0) SWIG_fail;
        $1 = ($1_ltype)v; $2 = (size_t)n;
    }
}
%typemap(freearg) (const char *const *MO_STRV, size_t MO_STRV_LEN) { free((void *)v$argnum); }
/* create_table's columns: an array of {name, type} pairs; nil -> NULL. */
%typemap(in, checkfn="") (const char *const *MO_NAMES, const char *const *MO_TYPES, size_t MO_PAIRS_LEN)
    (const char **v = NULL) {
    $1 = NULL; $2 = NULL; $3 = 0;
    if (!lua_isnoneornil(L, $input)) {
        if (!lua_istable(L, $input)) { mo_lua_push_invalid(L, "$symname", "columns must be an array of {name, type} pairs"); SWIG_fail; }
        lua_Integer n = luaL_len(L, $input);
        v = (const char **)calloc((size_t)(n > 0 ? 2 * n : 1), sizeof *v);
        if (!v) { mo_lua_push_error(L, NULL, MO_E_RESOURCE); SWIG_fail; }
        if (mo_lua_strv(L, $input, v, n, 1, "column name", "$symname") < 0 ||
            mo_lua_strv(L, $input, v + n, n, 2, "column type", "$symname") < 0) SWIG_fail;
        $1 = ($1_ltype)v; $2 = ($2_ltype)(v + n); $3 = (size_t)n;
    }
}
%typemap(freearg) (const char *const *MO_NAMES, const char *const *MO_TYPES, size_t MO_PAIRS_LEN) { free((void *)v$argnum); }

/* 64-bit integer results (record fields: snapshot ts in ns, ids) as Lua integers. */
%typemap(out) int64_t, uint64_t { lua_pushinteger(L, (lua_Integer)$1); SWIG_arg++; }

/* 64-bit integer arguments as Lua integers (SWIG's default goes through a double). */
%typemap(in, checkfn="lua_isnumber") int64_t, uint64_t {
    $1 = ($1_ltype)(lua_isinteger(L, $input) ? lua_tointeger(L, $input) : (lua_Integer)lua_tonumber(L, $input));
}

%define MO_SWIG_LANGUAGE_EXTRAS
%native(mo_lua_row) int mo_lua_row(lua_State *L);
%native(mo_lua_poll) int mo_lua_poll(lua_State *L);
%{
#include <poll.h>
static mo_result *mo_lua_check_result(lua_State *L, const char *what) {
    mo_result *r = NULL;
    if (!SWIG_isptrtype(L, 1) || !SWIG_IsOK(SWIG_ConvertPtr(L, 1, (void **)&r, SWIGTYPE_p_mo_result, 0))) {
        mo_lua_push_error(L, NULL, MO_E_INVALID_ARGUMENT);
        lua_pushfstring(L, "%s: expected a result", what); lua_setfield(L, -2, "message");
        lua_error(L);
    }
    return r;
}
static int mo_lua_push_row(lua_State *L, mo_result *r);
/* mo_lua_fetch(result) -> row table, or nil when done. */
static int mo_lua_fetch(lua_State *L) {
    mo_result *r = mo_lua_check_result(L, "fetch");
    mo_status st = mo_result_next(r);   /* first: a finished stream has no metadata */
    if (st == MO_DONE) { lua_pushnil(L); return 1; }
    if (st < 0) { mo_lua_push_error(L, mo_error_last(), st); return lua_error(L); }
    return mo_lua_push_row(L, r);
}
/* mo_lua_row(result) -> the current row's table (after MO_ROW from an asynchronous next). */
static int mo_lua_row(lua_State *L) { return mo_lua_push_row(L, mo_lua_check_result(L, "row")); }
/* mo_lua_poll({ {fd, events}, ... }, timeout_ms) -> { ready events per entry } (MO_WAIT_*
 * bits; MO_WAIT_TIMEOUT for every entry that waited for it when the timeout passed). A tiny
 * event loop for scripts and tests; real programs hand (fd, events, timeout) to theirs. */
static int mo_lua_poll(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer timeout = luaL_optinteger(L, 2, -1);
    lua_Integer n = luaL_len(L, 1);
    if (n < 0 || n > 4096) return luaL_argerror(L, 1, "between 0 and 4096 entries");
    struct pollfd *fds = (struct pollfd *)lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *fds, 0);
    int *wanted = (int *)lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *wanted, 0);
    for (lua_Integer i = 0; i < n; i++) {
        lua_geti(L, 1, i + 1);
        luaL_checktype(L, -1, LUA_TTABLE);
        lua_geti(L, -1, 1); fds[i].fd = (int)luaL_checkinteger(L, -1); lua_pop(L, 1);
        lua_geti(L, -1, 2); wanted[i] = (int)luaL_checkinteger(L, -1); lua_pop(L, 2);
        fds[i].events = (short)(((wanted[i] & MO_WAIT_READ) ? POLLIN : 0) |
                                ((wanted[i] & MO_WAIT_WRITE) ? POLLOUT : 0));
        fds[i].revents = 0;
    }
    int ready;
    do ready = poll(fds, (nfds_t)n, (int)timeout); while (ready < 0 && errno == EINTR);
    if (ready < 0) return luaL_error(L, "poll: %s", strerror(errno));
    lua_createtable(L, (int)n, 0);
    for (lua_Integer i = 0; i < n; i++) {
        int ev = 0;
        if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) ev |= MO_WAIT_READ;
        if (fds[i].revents & POLLOUT) ev |= MO_WAIT_WRITE;
        if (ready == 0 && (wanted[i] & MO_WAIT_TIMEOUT)) ev |= MO_WAIT_TIMEOUT;
        lua_pushinteger(L, ev); lua_rawseti(L, -2, i + 1);
    }
    return 1;
}
static int mo_lua_push_row(lua_State *L, mo_result *r) {
    /* the numbers of a binary-protocol row come decoded (mo_result_row_typed) */
    const void *const *vals; const size_t *lens; const int *kinds; size_t cnt;
    mo_status st = mo_result_row_typed(r, &vals, &lens, &kinds, &cnt);
    if (st < 0) { mo_lua_push_error(L, mo_error_last(), st); return lua_error(L); }
    lua_createtable(L, (int)cnt, 0);
    for (size_t i = 0; i < cnt; i++) {
        const char *s = (const char *)vals[i]; size_t n = lens[i];
        if (!s) continue;  /* NULL -> nil */
        if (kinds[i] == MO_CELL_INT64) {
            lua_pushinteger(L, (lua_Integer)*(const int64_t *)vals[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
            continue;
        }
        if (kinds[i] == MO_CELL_UINT64) {
            uint64_t u = *(const uint64_t *)vals[i];
            if (u <= (uint64_t)LUA_MAXINTEGER) lua_pushinteger(L, (lua_Integer)u);
            else lua_pushnumber(L, (lua_Number)u);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
            continue;
        }
        if (kinds[i] == MO_CELL_DOUBLE) {
            lua_pushnumber(L, (lua_Number)*(const double *)vals[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
            continue;
        }
        mo_type t = MO_TYPE_OTHER; unsigned fl = 0;
        mo_result_column_type(r, i, &t);
        /* MatrixOne prints a DOUBLE in full (2.25e100 as 101 digits, 1e-300 as
         * 0.000...01): up to ~330 characters, as mo_result_get_double reads them */
        char buf[400];
        switch (t) {
        case MO_TYPE_INT8: case MO_TYPE_INT16: case MO_TYPE_INT24: case MO_TYPE_INT32:
        case MO_TYPE_INT64: case MO_TYPE_YEAR:
            if (n < sizeof buf) {
                memcpy(buf, s, n); buf[n] = 0;
                mo_result_column_flags(r, i, &fl);
                if (fl & MO_COLUMN_UNSIGNED) {
                    unsigned long long u = strtoull(buf, NULL, 10);
                    if (u <= (unsigned long long)LUA_MAXINTEGER) lua_pushinteger(L, (lua_Integer)u);
                    else lua_pushnumber(L, (lua_Number)u);
                } else lua_pushinteger(L, (lua_Integer)strtoll(buf, NULL, 10));
            } else lua_pushlstring(L, s, n);
            break;
        case MO_TYPE_FLOAT: case MO_TYPE_DOUBLE:
            if (n < sizeof buf) { memcpy(buf, s, n); buf[n] = 0; lua_pushnumber(L, strtod(buf, NULL)); }
            else lua_pushlstring(L, s, n);
            break;
        case MO_TYPE_BIT: {
            unsigned long long v = 0;
            for (size_t k = 0; k < n && k < 8; k++) v = (v << 8) | (unsigned char)s[k];
            lua_pushinteger(L, (lua_Integer)v);
            break;
        }
        default: lua_pushlstring(L, s, n); break;
        }
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}
%}
%{
/* mo_lua_release(handle): run the handle's C release function now (mo_session_close,
 * mo_client_close, ...) instead of at garbage collection, and disown the object, so that the
 * collector does nothing later and any further use passes NULL (a clean INVALID_ARGUMENT).
 * Sessions and clients hold connections: the Lua layer releases them deterministically.
 * nil is a no-op. */
static int mo_lua_release(lua_State *L) {
    if (lua_isnoneornil(L, 1)) return 0;
    if (!lua_isuserdata(L, 1)) return luaL_argerror(L, 1, "expected a mocore handle");
    swig_lua_userdata *usr = (swig_lua_userdata *)lua_touserdata(L, 1);
    if (!usr || !usr->type) return luaL_argerror(L, 1, "expected a mocore handle");
    if (usr->own && usr->ptr) {
        swig_lua_class *clss = (swig_lua_class *)usr->type->clientdata;
        if (clss && clss->destructor) clss->destructor(usr->ptr);
    }
    usr->own = 0;
    usr->ptr = NULL;
    return 0;
}
%}
%{
/* mo_lua_params_add_vector(params, array of numbers): a float64 vector value (the inserted
 * rows of vector_ops:insert and the table helpers). */
static int mo_lua_params_add_vector(lua_State *L) {
    mo_params *p = NULL;
    if (!SWIG_isptrtype(L, 1) || !SWIG_IsOK(SWIG_ConvertPtr(L, 1, (void **)&p, SWIGTYPE_p_mo_params, 0)) ||
        !lua_istable(L, 2)) {
        mo_lua_push_invalid(L, "params", "expected params and an array of numbers");
        return lua_error(L);
    }
    lua_Integer n = luaL_len(L, 2);
    double *d = (double *)malloc((size_t)(n > 0 ? n : 1) * sizeof *d);
    if (!d) { mo_lua_push_error(L, NULL, MO_E_RESOURCE); return lua_error(L); }
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, 2, i);
        int isnum = lua_type(L, -1) == LUA_TNUMBER;
        d[i - 1] = isnum ? (double)lua_tonumber(L, -1) : 0.0;
        lua_pop(L, 1);
        if (!isnum) { free(d); mo_lua_push_invalid(L, "params", "vector elements must be numbers"); return lua_error(L); }
    }
    mo_status st = mo_params_add_vector_f64(p, d, (size_t)n);
    free(d);
    if (st < 0) { mo_lua_push_error(L, mo_error_last(), st); return lua_error(L); }
    return 0;
}
%}
%{
/* mo_lua_params_pack(list, null, tagged) -> params: every value of the array `list` added in
 * this one call (make_params in mocore.lua): `null` is mocore.null, `tagged` the metatable of
 * mocore.blob/decimal/json values. The params object is owned by Lua from the start, so an
 * error on the way leaves it to the collector. The value is on top of the stack; `null_at`
 * and `tagged_at` are the stack indexes of mocore.null and of the tagged metatable. */
static void mo_lua_pack_value(lua_State *L, mo_params *p, lua_Integer i, int null_at,
                              int tagged_at) {
    mo_status st;
    int t = lua_type(L, -1);
    if (lua_rawequal(L, -1, null_at)) {
        st = mo_params_add_null(p);
    } else if (t == LUA_TBOOLEAN) {
        st = mo_params_add_bool(p, lua_toboolean(L, -1));
    } else if (t == LUA_TNUMBER) {
        st = lua_isinteger(L, -1) ? mo_params_add_int64(p, (int64_t)lua_tointeger(L, -1))
                                  : mo_params_add_double(p, (double)lua_tonumber(L, -1));
    } else if (t == LUA_TSTRING) {
        size_t n;
        const char *v = lua_tolstring(L, -1, &n);
        st = mo_params_add_text(p, v, n);
    } else if (t == LUA_TTABLE && lua_getmetatable(L, -1)) {
        int is_tagged = lua_rawequal(L, -1, tagged_at);
        lua_pop(L, 1);
        if (!is_tagged) goto cannot;
        lua_getfield(L, -1, "kind");
        lua_getfield(L, -2, "value");
        const char *kind = lua_tostring(L, -2);
        size_t n = 0;
        const char *v = NULL;
        if (lua_type(L, -1) == LUA_TSTRING) {
            v = lua_tolstring(L, -1, &n);
        } else if (!lua_isnil(L, -1)) {
            lua_pushfstring(L, "parameter %d: expected a string, got %s", (int)i, luaL_typename(L, -1));
            mo_lua_push_invalid(L, "params", lua_tostring(L, -1));
            lua_error(L);
        }
        if (kind && strcmp(kind, "blob") == 0) st = mo_params_add_blob(p, v, n);
        else if (kind && strcmp(kind, "decimal") == 0) st = mo_params_add_decimal(p, v, n);
        else st = mo_params_add_json(p, v, n);
        lua_pop(L, 2);
    } else if (t == LUA_TTABLE && luaL_len(L, -1) > 0) {
        lua_Integer n = luaL_len(L, -1);   /* an array of numbers: a float64 vector */
        double *d = (double *)malloc((size_t)n * sizeof *d);
        if (!d) { mo_lua_push_error(L, NULL, MO_E_RESOURCE); lua_error(L); }
        for (lua_Integer k = 1; k <= n; k++) {
            lua_rawgeti(L, -1, k);
            int isnum = lua_type(L, -1) == LUA_TNUMBER;
            d[k - 1] = isnum ? (double)lua_tonumber(L, -1) : 0.0;
            lua_pop(L, 1);
            if (!isnum) {
                free(d);
                mo_lua_push_invalid(L, "params", "vector elements must be numbers");
                lua_error(L);
            }
        }
        st = mo_params_add_vector_f64(p, d, (size_t)n);
        free(d);
    } else {
        goto cannot;
    }
    if (st < 0) { mo_lua_push_error(L, mo_error_last(), st); lua_error(L); }
    return;
cannot:
    lua_pushfstring(L, "parameter %d: cannot send a %s", (int)i, luaL_typename(L, -1));
    mo_lua_push_invalid(L, "lua", lua_tostring(L, -1));
    lua_error(L);
}
/* Add every value of the array at stack index `list` to `p`. */
static void mo_lua_pack_list(lua_State *L, mo_params *p, int list, int null_at, int tagged_at) {
    lua_Integer n = luaL_len(L, list);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, list, i);
        mo_lua_pack_value(L, p, i, null_at, tagged_at);
        lua_pop(L, 1);
    }
}
/* Push a new params object (owned by Lua) holding every value of the array at stack index
 * `list`, and return it. */
static mo_params *mo_lua_pack(lua_State *L, int list, int null_at, int tagged_at) {
    luaL_checktype(L, list, LUA_TTABLE);
    mo_params *p = NULL;
    mo_status st = mo_params_new(&p);
    if (st < 0) { mo_lua_push_error(L, mo_error_last(), st); lua_error(L); }
    SWIG_NewPointerObj(L, p, SWIGTYPE_p_mo_params, 1);
    mo_lua_pack_list(L, p, list, null_at, tagged_at);
    return p;
}
static int mo_lua_params_pack(lua_State *L) {
    mo_lua_pack(L, 1, 2, 3);
    return 1;
}
/* What mo_lua_execute reads on every call, kept in one registry table (set once by
 * mo_lua_execute_setup from mocore.lua): */
enum {
    MO_LUA_EXEC_NULL = 1,   /* mocore.null */
    MO_LUA_EXEC_TAGGED,     /* the metatable of mocore.blob/decimal/json values */
    MO_LUA_EXEC_RESULT,     /* the metatable of a result with rows ({h = handle}) */
    MO_LUA_EXEC_COUNTS,     /* the metatable of a result without rows ({affected, last_id}) */
    MO_LUA_EXEC_SHARED,     /* [affected + 1] = the shared counts of a statement without rows
                             * and without an insert id (they are read-only values) */
    MO_LUA_EXEC_PARAMS      /* the reusable params (a userdata), false while one call uses it */
};
#define MO_LUA_EXEC_SHARED_MAX 64
static const char mo_lua_exec_key = 0;
static int mo_lua_params_gc(lua_State *L) {
    mo_params **p = (mo_params **)lua_touserdata(L, 1);
    if (p && *p) { mo_params_free(*p); *p = NULL; }
    return 0;
}
/* mo_lua_execute_setup(null, tagged, Result, Counts) */
static int mo_lua_execute_setup(lua_State *L) {
    lua_settop(L, 4);
    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_checktype(L, 3, LUA_TTABLE);
    luaL_checktype(L, 4, LUA_TTABLE);
    lua_createtable(L, 6, 0);
    for (int i = 1; i <= 4; i++) { lua_pushvalue(L, i); lua_rawseti(L, -2, i); }
    lua_createtable(L, MO_LUA_EXEC_SHARED_MAX, 0); lua_rawseti(L, -2, MO_LUA_EXEC_SHARED);
    lua_pushboolean(L, 0); lua_rawseti(L, -2, MO_LUA_EXEC_PARAMS);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &mo_lua_exec_key);
    return 0;
}
static void mo_lua_exec_usage(lua_State *L, const char *msg) {
    mo_lua_push_invalid(L, "lua", msg);
    lua_error(L);
}
/* mo_lua_execute(client|session, sql, list|nil, opts|nil, is_session) -> the result: the
 * arguments checked, the parameters packed (into the one reusable params object), the
 * statement run, and (without rows) its counters read and the C result released, in this one
 * call. A statement without rows gives a {affected, last_id} table with the Counts
 * metatable; without an insert id (and with few rows) that table is shared by every such
 * statement of the same count, so a loop of INSERTs allocates nothing for its results. */
static int mo_lua_execute(lua_State *L) {
    lua_settop(L, 5);
    int session = lua_toboolean(L, 5);
    if (lua_type(L, 2) != LUA_TSTRING) mo_lua_exec_usage(L, "sql must be a string");
    if (!lua_isnil(L, 3) && !lua_istable(L, 3)) mo_lua_exec_usage(L, "params must be a table (array) of values");
    unsigned flags = MO_EXEC_BUFFERED;
    if (lua_toboolean(L, 4)) {
        lua_getfield(L, 4, "stream");
        if (lua_toboolean(L, -1)) flags = MO_EXEC_STREAMING;
        lua_pop(L, 1);
    }
    /* a closed object (nil handle) or another type passes NULL: the C call's own error */
    void *h = NULL;
    if (!SWIG_isptrtype(L, 1) ||
        !SWIG_IsOK(SWIG_ConvertPtr(L, 1, &h, session ? SWIGTYPE_p_mo_session : SWIGTYPE_p_mo_client, 0)))
        h = NULL;
    size_t len = 0;
    const char *sql = lua_tolstring(L, 2, &len);
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &mo_lua_exec_key) != LUA_TTABLE)   /* 6 */
        return luaL_error(L, "mocore: mo_lua_execute_setup was not called");
    mo_params *p = NULL;
    if (!lua_isnil(L, 3)) {
        lua_rawgeti(L, 6, MO_LUA_EXEC_NULL);     /* 7 */
        lua_rawgeti(L, 6, MO_LUA_EXEC_TAGGED);   /* 8 */
        /* 9: the reusable params, taken out of the table while this call uses it (a log
         * function run by the statement may execute another one: that one makes its own);
         * should packing raise, it stays out and the collector frees it */
        mo_params **slot = NULL;
        if (lua_rawgeti(L, 6, MO_LUA_EXEC_PARAMS) == LUA_TUSERDATA) {
            slot = (mo_params **)lua_touserdata(L, 9);
            lua_pushboolean(L, 0); lua_rawseti(L, 6, MO_LUA_EXEC_PARAMS);
            /* emptied here, so a copy in a fork()ed child (no longer its handle) is let go */
            if (mo_params_clear(*slot) < 0) slot = NULL;
        }
        if (!slot) {
            lua_pop(L, 1);
            slot = (mo_params **)lua_newuserdatauv(L, sizeof *slot, 0);
            *slot = NULL;
            if (luaL_newmetatable(L, "mocore.exec_params")) {
                lua_pushcfunction(L, mo_lua_params_gc); lua_setfield(L, -2, "__gc");
            }
            lua_setmetatable(L, -2);
            mo_status st = mo_params_new(slot);
            if (st < 0) { mo_lua_push_error(L, mo_error_last(), st); return lua_error(L); }
        }
        p = *slot;
        mo_lua_pack_list(L, p, 3, 7, 8);
    }
    mo_result *r = NULL;
    mo_status st = session ? mo_session_execute_ex(&r, (mo_session *)h, sql, len, p, flags)
                           : mo_client_execute_ex(&r, (mo_client *)h, sql, len, p, flags);
    if (p) { lua_pushvalue(L, 9); lua_rawseti(L, 6, MO_LUA_EXEC_PARAMS); }   /* for the next call */
    if (st < 0) { mo_lua_push_error(L, mo_error_last(), st); return lua_error(L); }
    if (mo_result_column_count(r) == 0 && !(flags & MO_EXEC_MORE_RESULTS)) {
        uint64_t affected = 0, last_id = 0;
        mo_result_affected_rows(r, &affected);
        mo_result_last_insert_id(r, &last_id);
        mo_result_free(r);
        int shared = last_id == 0 && affected < MO_LUA_EXEC_SHARED_MAX;
        if (shared) {
            lua_rawgeti(L, 6, MO_LUA_EXEC_SHARED);
            if (lua_rawgeti(L, -1, (lua_Integer)affected + 1) == LUA_TTABLE) return 1;
            lua_pop(L, 1);
        }
        lua_createtable(L, 0, 2);
        lua_pushinteger(L, (lua_Integer)affected); lua_setfield(L, -2, "affected");
        lua_pushinteger(L, (lua_Integer)last_id); lua_setfield(L, -2, "last_id");
        lua_rawgeti(L, 6, MO_LUA_EXEC_COUNTS); lua_setmetatable(L, -2);
        if (shared) { lua_pushvalue(L, -1); lua_rawseti(L, -3, (lua_Integer)affected + 1); }
        return 1;
    }
    SWIG_NewPointerObj(L, r, SWIGTYPE_p_mo_result, 1);   /* owned by Lua from here on */
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, -2); lua_setfield(L, -2, "h");
    lua_rawgeti(L, 6, MO_LUA_EXEC_RESULT); lua_setmetatable(L, -2);
    return 1;
}
%}
%{
/* LOAD DATA LOCAL with a Lua progress function (the C callback of load_data.h, done here
 * because a Lua function needs its lua_State).
 *
 * mo_lua_load_data_from_local_file(executor, file_path, table, options|nil, fn|nil) -> rows.
 * fn is installed on the options for the duration of this call only, and removed before it
 * returns (also on error): mocore calls the progress callback on the thread of the load
 * call, inside it, so fn runs on this thread, on this lua_State, while this C function is on
 * the stack — never from another thread, never after the call. Nothing keeps a reference to
 * fn or to the state afterwards. fn is called protected (lua_pcall): an error in it must not
 * unwind through mocore in the middle of a transfer, and cannot stop it either (the
 * protocol has no abort), so the first error is written to stderr, fn is not called again
 * for this load, and the load goes on (as Python prints the exception). */
typedef struct {
    lua_State *L;
    int fn;        /* absolute stack index of the function */
    int failed;    /* fn raised: not called again */
} mo_lua_progress_ctx;

static void mo_lua_progress(void *userdata, uint64_t bytes_sent, uint64_t total_bytes) {
    mo_lua_progress_ctx *ctx = (mo_lua_progress_ctx *)userdata;
    lua_State *L = ctx->L;
    if (ctx->failed || !lua_checkstack(L, 4)) return;
    lua_pushvalue(L, ctx->fn);
    lua_pushinteger(L, (lua_Integer)bytes_sent);
    lua_pushinteger(L, (lua_Integer)total_bytes);
    if (lua_pcall(L, 2, 0, 0) != LUA_OK) {
        ctx->failed = 1;
        /* never a __tostring metamethod here: it could raise outside any protection */
        const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : luaL_typename(L, -1);
        fprintf(stderr, "mocore: load_data progress function failed (not called again; the "
                        "load goes on): %s\n", msg ? msg : "?");
        lua_pop(L, 1);
    }
}

static int mo_lua_load_data_from_local_file(lua_State *L) {
    const char *op = "load_data.from_local_file";
    mo_executor *ex = NULL;
    mo_load_options *opts = NULL, *own = NULL;
    lua_settop(L, 5);
    if (lua_isnil(L, 1) || !SWIG_IsOK(SWIG_ConvertPtr(L, 1, (void **)&ex, SWIGTYPE_p_mo_executor, 0))) {
        mo_lua_push_invalid(L, op, "argument 1 must be an executor");
        return lua_error(L);
    }
    if (!SWIG_isptrtype(L, 4) || !SWIG_IsOK(SWIG_ConvertPtr(L, 4, (void **)&opts, SWIGTYPE_p_mo_load_options, 0))) {
        mo_lua_push_invalid(L, op, "argument 4 must be load options or nil");
        return lua_error(L);
    }
    const char *arg[2] = { NULL, NULL };
    static const char *const names[2] = { "file_path", "table" };
    for (int i = 0; i < 2; i++) {
        size_t len = 0;
        char msg[160];
        if (lua_type(L, 2 + i) != LUA_TSTRING) {
            lua_pushfstring(L, "%s must be a string, got %s", names[i], luaL_typename(L, 2 + i));
            mo_lua_push_invalid(L, op, lua_tostring(L, -1));
            return lua_error(L);
        }
        arg[i] = lua_tolstring(L, 2 + i, &len);
        if (mo_swig_cstr_nul(arg[i], len, names[i], msg, sizeof msg)) {
            mo_lua_push_invalid(L, op, msg);
            return lua_error(L);
        }
    }
    int has_fn = !lua_isnil(L, 5);
    if (has_fn && !lua_isfunction(L, 5)) {
        mo_lua_push_invalid(L, op, "progress must be a function(bytes_sent, total_bytes) or nil");
        return lua_error(L);
    }
    mo_lua_progress_ctx ctx = { L, 5, 0 };
    mo_status st = MO_OK;
    if (has_fn) {
        if (!opts) {
            st = mo_load_options_new(&own);
            opts = own;
        }
        if (st >= 0) st = mo_load_options_set_progress(opts, mo_lua_progress, &ctx);
    }
    uint64_t rows = 0;
    if (st >= 0) st = mo_load_data_from_local_file(ex, arg[0], arg[1], opts, &rows);
    /* the error first: removing the callback must not replace it */
    if (st < 0) mo_lua_push_error(L, mo_error_last(), st);
    if (has_fn && opts) mo_load_options_set_progress(opts, NULL, NULL);
    mo_load_options_free(own);
    if (st < 0) return lua_error(L);
    lua_pushinteger(L, (lua_Integer)rows);
    return 1;
}
%}
%{
/* One manager call (bindings/managers/call.h) in one C call from the Lua runtime
 * (mocore_managers_runtime.lua, which walks the Lua arguments into the shape):
 *
 * mo_lua_call(method, executor, shape, leaves, null, tagged, fn|nil) -> the outcome as Lua
 * values, and its kind ("record", "dicts", ...: mo_call_outcome_kind): lists and maps as
 * tables, b a boolean, i an integer, d a number, s/y a string, n a nil (a missing key), r the
 * result handle (owned by Lua). The leaves are packed into the
 * call's values by mo_lua_pack_value (mocore.null, tagged values, ...; a placeholder for a
 * function or an object is mocore.null). fn, a load progress function, is set on the call's
 * load options with mo_lua_progress for the run only (see mo_lua_load_data_from_local_file
 * for why that is safe). A mistake is the invalid_argument error table of the call. */
static int mo_lua_call_gc(lua_State *L) {
    mo_call **c = (mo_call **)luaL_checkudata(L, 1, "mocore.call");
    mo_call_free(*c);
    *c = NULL;
    return 0;
}
static void mo_lua_push_outcome(lua_State *L, mo_call *c, const char **shape, size_t *leaf) {
    char kind = *(*shape)++;
    luaL_checkstack(L, 4, "outcome");
    if (kind == '(' || kind == '{') {
        char end = kind == '(' ? ')' : '}';
        lua_newtable(L);
        for (lua_Integer i = 1; **shape && **shape != end; i++) {
            mo_lua_push_outcome(L, c, shape, leaf);
            if (kind == '(') { lua_rawseti(L, -2, i); continue; }
            mo_lua_push_outcome(L, c, shape, leaf);
            if (lua_isnil(L, -2)) lua_pop(L, 2);   /* no key: nothing to set */
            else lua_rawset(L, -3);                /* a nil value: the key stays missing */
        }
        if (**shape) (*shape)++;
        return;
    }
    size_t i = (*leaf)++, len = 0;
    const char *s;
    switch (kind) {
    case 'b': lua_pushboolean(L, mo_call_outcome_int(c, i) != 0); break;
    case 'i': lua_pushinteger(L, (lua_Integer)mo_call_outcome_int(c, i)); break;
    case 'd': lua_pushnumber(L, (lua_Number)mo_call_outcome_number(c, i)); break;
    case 's': case 'y': case 'v': case 't':   /* t: a UTC time, as C's text (Lua has no time type) */
        s = mo_call_outcome_text(c, i, &len);
        if (s) lua_pushlstring(L, s, len); else lua_pushnil(L);
        break;
    case 'r': {
        mo_result *r = mo_call_take_result(c);
        if (r) SWIG_NewPointerObj(L, r, SWIGTYPE_p_mo_result, 1); else lua_pushnil(L);
        break;
    }
    default: lua_pushnil(L); break;   /* n */
    }
}
static int mo_lua_call(lua_State *L) {
    lua_settop(L, 7);
    const char *method = luaL_checkstring(L, 1);
    mo_executor *ex = NULL;   /* a closed client passes NULL: the C call's own error */
    if (!SWIG_isptrtype(L, 2) || !SWIG_IsOK(SWIG_ConvertPtr(L, 2, (void **)&ex, SWIGTYPE_p_mo_executor, 0)))
        ex = NULL;
    const char *shape = luaL_checkstring(L, 3);
    luaL_checktype(L, 4, LUA_TTABLE);
    /* owned by a userdata from here on: a Lua error while packing leaves it to the collector */
    mo_call **c = (mo_call **)lua_newuserdatauv(L, sizeof *c, 0);
    *c = NULL;
    if (luaL_newmetatable(L, "mocore.call")) {
        lua_pushcfunction(L, mo_lua_call_gc); lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    mo_status st = mo_call_new(c, method);
    if (st < 0) { mo_lua_push_error(L, mo_error_last(), st); return lua_error(L); }
    lua_Integer n = luaL_len(L, 4);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, 4, i);
        mo_lua_pack_value(L, mo_call_values(*c), i, 5, 6);
        lua_pop(L, 1);
    }
    mo_lua_progress_ctx ctx = { L, 7, 0 };
    st = mo_call_set_shape(*c, shape);
    if (st >= 0 && !lua_isnil(L, 7))   /* a function or a callable table */
        st = mo_load_options_set_progress(mo_call_progress(*c), mo_lua_progress, &ctx);
    if (st >= 0) st = mo_call_run(*c, ex);
    if (st < 0) { mo_lua_push_error(L, mo_error_last(), st); return lua_error(L); }
    const char *out = mo_call_outcome_shape(*c);
    size_t leaf = 0;
    if (*out) mo_lua_push_outcome(L, *c, &out, &leaf); else lua_pushnil(L);
    lua_pushstring(L, mo_call_outcome_kind(*c));
    mo_call_free(*c);
    *c = NULL;
    return 2;
}
/* mo_lua_text_vector(text) -> MatrixOne's vector text ("[1,2.5]") as an array of numbers
 * (mo_text_to_vector), or the text itself when it is not one. */
static int mo_lua_text_vector(lua_State *L) {
    size_t len = 0, count = 0;
    const char *s = luaL_checklstring(L, 1, &len);
    if (mo_text_to_vector(s, len, NULL, 0, &count) != MO_OK) { lua_settop(L, 1); return 1; }
    double *v = (double *)lua_newuserdatauv(L, (count ? count : 1) * sizeof *v, 0);
    mo_text_to_vector(s, len, v, count, &count);
    lua_createtable(L, (int)count, 0);
    for (size_t i = 0; i < count; i++) { lua_pushnumber(L, v[i]); lua_rawseti(L, -2, (lua_Integer)i + 1); }
    return 1;
}
%}
%{
/* The log sink as a Lua function: mo_lua_config_set_log_function(config, fn) routes the
 * config's log lines to fn(level, line), level one of "debug", "info", "warning", "error".
 *
 * mocore calls the sink on the thread of the mocore call, inside it (config.h) — but not
 * always from a call made by Lua code on a known lua_State: a client or a result may be
 * released by the collector, inside another coroutine, and log on the way. So fn runs on a
 * Lua thread of its own (lua_newthread), never on whatever state happens to be running; it is
 * called protected, and an error in it goes to stderr with the line (a statement must not
 * fail because its log line could not be written).
 *
 * Lifetime: clients copy the sink and may outlive the Lua objects that made them (a result
 * holds its client), so the sink, its thread and fn are anchored in the registry
 * ("mocore.log_functions", keyed by fn) for the life of the Lua state: one small anchor per
 * distinct function, however many clients use it. */
typedef struct {
    lua_State *T;   /* the sink's own thread */
    int fn;         /* registry reference of fn */
} mo_lua_log_ctx;

static void mo_lua_log_sink(void *userdata, int level, const char *message, size_t len) {
    mo_lua_log_ctx *ctx = (mo_lua_log_ctx *)userdata;
    lua_State *T = ctx->T;
    const char *name = level >= MO_LOG_LEVEL_ERROR ? "error" : level >= MO_LOG_LEVEL_WARNING ? "warning"
                     : level >= MO_LOG_LEVEL_INFO ? "info" : "debug";
    if (!lua_checkstack(T, 4)) { fprintf(stderr, "%.*s\n", (int)len, message); return; }
    int top = lua_gettop(T);
    lua_rawgeti(T, LUA_REGISTRYINDEX, ctx->fn);
    lua_pushstring(T, name);
    lua_pushlstring(T, message, len);
    if (lua_pcall(T, 2, 0, 0) != LUA_OK) {
        /* never a __tostring metamethod here: it could raise outside any protection */
        const char *msg = lua_type(T, -1) == LUA_TSTRING ? lua_tostring(T, -1) : luaL_typename(T, -1);
        fprintf(stderr, "mocore: the Lua log function failed (%s); the line was: %.*s\n",
                msg ? msg : "?", (int)len, message);
    }
    lua_settop(T, top);
}

/* mo_lua_config_set_log_function(config, fn | nil): nil restores the default sink (stderr). */
static int mo_lua_config_set_log_function(lua_State *L) {
    mo_config *cfg = NULL;
    lua_settop(L, 2);
    if (lua_isnil(L, 1) || !SWIG_IsOK(SWIG_ConvertPtr(L, 1, (void **)&cfg, SWIGTYPE_p_mo_config, 0))) {
        mo_lua_push_invalid(L, "config.log", "argument 1 must be a config");
        return lua_error(L);
    }
    if (lua_isnil(L, 2)) {
        mo_status st = mo_config_set_log_sink(cfg, NULL, NULL);
        if (st < 0) { mo_lua_push_error(L, mo_error_last(), st); return lua_error(L); }
        return 0;
    }
    if (!lua_isfunction(L, 2)) {
        mo_lua_push_invalid(L, "config.log", "log must be a function(level, line) or nil");
        return lua_error(L);
    }
    luaL_getsubtable(L, LUA_REGISTRYINDEX, "mocore.log_functions");   /* at 3 */
    lua_pushvalue(L, 2);
    lua_rawget(L, 3);   /* the anchor of fn, if it has one */
    mo_lua_log_ctx *ctx = (mo_lua_log_ctx *)lua_touserdata(L, -1);
    if (!ctx) {
        lua_pop(L, 1);
        ctx = (mo_lua_log_ctx *)lua_newuserdatauv(L, sizeof *ctx, 1);
        ctx->T = lua_newthread(L);
        lua_setiuservalue(L, -2, 1);   /* the thread lives as long as the anchor */
        lua_pushvalue(L, 2);
        ctx->fn = luaL_ref(L, LUA_REGISTRYINDEX);
        lua_pushvalue(L, 2);
        lua_pushvalue(L, -2);
        lua_rawset(L, 3);   /* mocore.log_functions[fn] = anchor */
    }
    mo_status st = mo_config_set_log_sink(cfg, mo_lua_log_sink, ctx);
    if (st < 0) { mo_lua_push_error(L, mo_error_last(), st); return lua_error(L); }
    return 0;
}

/* mo_lua_escape(s): s written for the inside of a '...' literal by the library's own rule for
 * quoted literals (sqltext.c, MO_LITERAL_QUOTED: '' for a quote; \\, \0, \n, \r, \Z), the
 * string LuaSQL's conn:escape returns. Not in the C ABI: the module links the library's
 * objects, so the internal function is there. */
static int mo_lua_escape(lua_State *L) {
    size_t len = 0;
    const char *s = luaL_checklstring(L, 1, &len);
    mo_buf b;
    mo_buf_init(&b);
    mo_sql_append_string_literal(&b, s, len, MO_LITERAL_QUOTED, NULL);
    if (!mo_buf_ok(&b)) { mo_buf_free(&b); mo_lua_push_error(L, NULL, MO_E_RESOURCE); return lua_error(L); }
    lua_pushlstring(L, b.data + 1, b.len - 2);   /* without the enclosing quotes */
    mo_buf_free(&b);
    return 1;
}
%}
%native(mo_lua_escape) int mo_lua_escape(lua_State *L);
%native(mo_lua_raise_invalid) int mo_lua_raise_invalid(lua_State *L);
%native(mo_lua_config_set_log_function) int mo_lua_config_set_log_function(lua_State *L);
%native(mo_lua_execute_setup) int mo_lua_execute_setup(lua_State *L);
%native(mo_lua_fetch) int mo_lua_fetch(lua_State *L);
%native(mo_lua_release) int mo_lua_release(lua_State *L);
%native(mo_lua_params_add_vector) int mo_lua_params_add_vector(lua_State *L);
%native(mo_lua_params_pack) int mo_lua_params_pack(lua_State *L);
%native(mo_lua_execute) int mo_lua_execute(lua_State *L);
%native(mo_lua_load_data_from_local_file) int mo_lua_load_data_from_local_file(lua_State *L);
%native(mo_lua_call) int mo_lua_call(lua_State *L);
%native(mo_lua_text_vector) int mo_lua_text_vector(lua_State *L);
%enddef

%exception {
    mo_swig_status = MO_OK;
    $action
}
