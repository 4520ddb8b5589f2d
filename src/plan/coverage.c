/* plan/coverage: stretches of chainage (see coverage.h). */
#include "plan/coverage.h"

#include <stdlib.h>

static int iv_cmp(const void *a, const void *b)
{
    const struct rb_cov_iv *x = a, *y = b;
    if (x->route != y->route)
        return x->route < y->route ? -1 : 1;
    if (x->from_m != y->from_m)
        return x->from_m < y->from_m ? -1 : 1;
    return (x->to_m > y->to_m) - (x->to_m < y->to_m);
}

void rb_cov_sort(struct rb_cov_iv *iv, size_t n)
{
    if (n > 1)
        qsort(iv, n, sizeof *iv, iv_cmp);
}

int rb_cov_any_in(const struct rb_cov_iv *iv, size_t n, uint32_t r, double a, double b)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {   /* the first of route r starting at a or after */
        size_t mid = lo + (hi - lo) / 2;
        if (iv[mid].route < r || (iv[mid].route == r && iv[mid].from_m < a))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && iv[lo].route == r && iv[lo].from_m <= b;
}

size_t rb_cov_merge(struct rb_cov_iv *iv, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (iv[i].to_m > iv[i].from_m)
            iv[k++] = iv[i];
    n = k;
    if (n > 1)
        qsort(iv, n, sizeof *iv, iv_cmp);
    k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k && iv[k - 1].route == iv[i].route && iv[i].from_m <= iv[k - 1].to_m) {
            if (iv[i].to_m > iv[k - 1].to_m)
                iv[k - 1].to_m = iv[i].to_m;
        } else {
            iv[k++] = iv[i];
        }
    }
    return k;
}

/* the first stretch of route r that ends after a (binary search) */
static size_t first_after(const struct rb_cov_iv *iv, size_t n, uint32_t r, double a)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (iv[mid].route < r || (iv[mid].route == r && iv[mid].to_m <= a))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

double rb_cov_covered(const struct rb_cov_iv *iv, size_t n, uint32_t r, double a, double b)
{
    double len = 0;
    for (size_t i = first_after(iv, n, r, a); i < n && iv[i].route == r && iv[i].from_m < b; i++) {
        double lo = iv[i].from_m > a ? iv[i].from_m : a, hi = iv[i].to_m < b ? iv[i].to_m : b;
        if (hi > lo)
            len += hi - lo;
    }
    return len;
}

int rb_cov_holds(const struct rb_cov_iv *iv, size_t n, uint32_t r, double c)
{
    size_t i = first_after(iv, n, r, c);
    /* stretches are half open at their end, but a point at the very end of one counts */
    if (i > 0 && iv[i - 1].route == r && iv[i - 1].to_m == c)
        return 1;
    return i < n && iv[i].route == r && iv[i].from_m <= c;
}

void rb_cov_zone(double c, double up_m, double down_m, int dir, double *from_m, double *to_m)
{
    if (dir > 0) {
        *from_m = c - up_m;
        *to_m = c + down_m;
    } else if (dir < 0) {
        *from_m = c - down_m;
        *to_m = c + up_m;
    } else {
        double m = up_m > down_m ? up_m : down_m;
        *from_m = c - m;
        *to_m = c + m;
    }
}
