/* report: the output tables and the JSON summary, built from what the stages
 * made. The tables are handed to io to write; nothing here touches GDAL.
 *
 * The module's headers, none including another of them but layer.h:
 *   layer.h          the run the builders read, the output layer, shared helpers
 *   tables.h         crashes and segments
 *   screen_tables.h  windows, sections, hotspots, intersections
 *   plan_tables.h    the plan layer and the work orders
 *   summary.h        the JSON summary
 *   styles.h         QML styles and coded value domains
 *   html.h           the HTML report (rumble report), from a run's layers
 *   report.h         (this one) all but html.h, for the code that uses the report */
#ifndef RB_REPORT_H
#define RB_REPORT_H

#include "core/core.h"
#include "core/table.h"
#include "io/io.h"
#include "net/net.h"
#include "match/match.h"
#include "screen/screen.h"
#include "screen/sites.h"
#include "net/route.h"
#include "screen/junctions.h"
#include "plan/plan.h"
#include "match/lref.h"
#include "report/layer.h"
#include "report/tables.h"
#include "report/screen_tables.h"
#include "report/plan_tables.h"
#include "report/summary.h"
#include "report/styles.h"

#endif
