-- The transfer matrix the way it is written in PostGIS: every intersecting pair of a before and an after parcel,
-- grouped by before and after class. :area is the area expression over the intersection g.
\set ON_ERROR_STOP on
\pset format unaligned
\pset tuples_only on
\pset fieldsep '\t'
\o :out
SELECT b.dlbm, a.dlbm, sum(:area)
FROM dltb_before b JOIN dltb_after a ON ST_Intersects(b.geom, a.geom), LATERAL (SELECT ST_Intersection(b.geom, a.geom) AS g) x
GROUP BY 1, 2 ORDER BY 1, 2;
\o
