/* report/html: `rumble report` — one self-contained HTML file (CSS, script and
 * SVG inline; opens offline, prints) from the layers of a run's GeoPackage. */
#ifndef RB_REPORT_HTML_H
#define RB_REPORT_HTML_H

#include "core/core.h"
#include "io/io.h"

struct cJSON;

/* What the report is made from, borrowed. Layers not in the source have
 * present 0; summary (the run's JSON) may be NULL. */
struct rb_report_src {
    const char *path;                   /* the GeoPackage, named in the header */
    const struct rb_shapes *segments, *hotspots, *plan, *work_lines, *work_points, *crashes;
    const struct cJSON *summary;
    const struct cJSON *locale;         /* data/locale/LANG.json */
    const char *const *cm_ids, *const *cm_names;   /* the catalogue's names of countermeasures */
    size_t ncm_names;
    size_t top;                         /* site cards (0: 10) */
    const char *map_by;                 /* "rank" (default) or "excess" */
    const struct rb_shapes *intersections;   /* ranked by screening (NULL or absent: none) */
    size_t map_points;                  /* above this many points (segment vertices and intersections) the
                                           map draws the lower classes as a picture at its resolution
                                           (0: 200,000) */
    const struct rb_shapes *evaluation; /* rumble evaluate's evaluation_pooled (NULL: no such section) */
};

/* The page, into *out (to rb_free). Sections: summary figures (crashes by
 * severity and year, network length, sites flagged, plan totals), the map
 * (segments by rank or excess, hotspots, ranked intersections, work orders),
 * the ranked hotspots and intersections (sortable), and a card for each top site: its crash profile along the road
 * against the SPF, its severity and crash-type mix against the network, its
 * countermeasures and work order. Labels and number format from the locale. */
int rb_report_html(const struct rb_report_src *src, char **out, struct rb_err *err);

#endif
