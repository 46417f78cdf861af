/** @file
 * capi/mocore/common.h — types shared by every mocore header. */
#ifndef MOCORE_COMMON_H
#define MOCORE_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define MO_BEGIN_DECLS extern "C" {
#define MO_END_DECLS }
#else
#define MO_BEGIN_DECLS
#define MO_END_DECLS
#endif

#if defined(_WIN32)
#define MO_API __declspec(dllexport)
#elif defined(__GNUC__)
#define MO_API __attribute__((visibility("default")))
#else
#define MO_API
#endif

MO_BEGIN_DECLS

/* The one place the version is written: CMake (project VERSION, the .so version, pkg-config,
 * the CMake package), the Python package (bindings/python/setup.py), the gem
 * (bindings/ruby/mocore.gemspec) and mo_version_string() (so Lua's mocore.VERSION and
 * Python's mocore.__version__) all read these three lines. */
#define MOCORE_VERSION_MAJOR 1
#define MOCORE_VERSION_MINOR 1
#define MOCORE_VERSION_PATCH 0

/** Every fallible call returns a mo_status: 0 ok, > 0 a state, < 0 an error category
 *  (MO_E_*, see mocore/error.h). */
typedef int mo_status;

enum {
    MO_OK = 0,
    MO_ROW = 1,   /* mo_result_next: a row is available */
    MO_DONE = 2,  /* mo_result_next: no more rows */
    MO_AGAIN = 3  /* non-blocking calls: wait for the events reported, then continue */
};

/* Opaque handles. Each is created by a _new/_open/_connect/_execute call and released by its
 * _free/_close call, which accepts NULL. */
typedef struct mo_config mo_config;
typedef struct mo_client mo_client;
typedef struct mo_session mo_session;
typedef struct mo_result mo_result;
typedef struct mo_params mo_params;
typedef struct mo_error mo_error;

/** The library version as "major.minor.patch" (static storage). */
MO_API const char *mo_version_string(void);

MO_END_DECLS
#endif
