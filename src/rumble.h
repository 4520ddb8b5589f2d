/* rumble: crash-to-road matching and road-safety screening, as a C library.
 *
 * The pipeline, one header per stage, data flowing one way:
 *   io (GDAL, config) -> net (segments, nodes) -> index (R-tree) -> match
 *   -> screen (statistics) -> report (tables, summary)
 * Every function returns a status (RB_OK ...) and fills a struct rb_err; none
 * prints or exits. Every _read/_build has one _free; _free(NULL) is a no-op. */
#ifndef RUMBLE_H
#define RUMBLE_H

#include "core/core.h"
#include "core/table.h"
#include "io/io.h"
#include "net/net.h"
#include "index/index.h"
#include "match/match.h"
#include "screen/screen.h"
#include "report/report.h"

#endif
