/* tnet: small road networks written by hand for the tests. */
#ifndef TNET_H
#define TNET_H

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "net/net.h"

struct tnet {
    size_t part0[64], pt0[64];
    double xy[512], aadt[64];
    const char *ids[64], *keys[64];
    char idbuf[64][8];
    size_t nsegs, npts;
};

/* Adds a one-part segment "s<index>" with route key (may be NULL) and AADT. */
static inline void tnet_add(struct tnet *f, const char *key, double aadt, const double *pts, size_t n)
{
    size_t s = f->nsegs++;
    f->part0[s] = s;
    f->pt0[s] = f->npts;
    memcpy(f->xy + 2 * f->npts, pts, 2 * n * sizeof(double));
    f->npts += n;
    f->part0[s + 1] = s + 1;
    f->pt0[s + 1] = f->npts;
    snprintf(f->idbuf[s], sizeof f->idbuf[s], "s%zu", s);
    f->ids[s] = f->idbuf[s];
    f->keys[s] = key;
    f->aadt[s] = aadt;
}

static inline int tnet_build(struct tnet *f, struct rb_net *net, struct rb_log *log)
{
    struct rb_net_input in = { f->nsegs, f->part0, f->pt0, f->xy, f->ids, f->aadt, 0.5 };
    struct rb_err err;
    return rb_net_build(&in, net, log, "test", &err);
}

#endif
