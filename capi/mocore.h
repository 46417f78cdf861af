/** @file
 * capi/mocore.h — the umbrella header of the mocore C API. */
#ifndef MOCORE_H
#define MOCORE_H
#include "mocore/common.h"
#include "mocore/error.h"
#include "mocore/config.h"
#include "mocore/params.h"
#include "mocore/client.h"
#include "mocore/session.h"
#include "mocore/result.h"
#include "mocore/managers.h"
#include "mocore/vector.h"
#include "mocore/fulltext.h"
#include "mocore/metadata.h"
#include "mocore/moctl.h"
#include "mocore/table.h"
#include "mocore/hooks.h"
#include "mocore/async.h"
#include "mocore/strmap.h"
#include "mocore/load_data.h"
#include "mocore/stage.h"
#include "mocore/cdc.h"
#include "mocore/export.h"
#include "mocore/value_text.h"
#include "mocore/pool.h"
#endif
