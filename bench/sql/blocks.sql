-- Contiguous blocks the way a GIS analyst writes them in PostGIS, with the platform's adjacency rule (rules.md,
-- R04): members and connector parcels; two of them are adjacent when their boundaries share a line
-- (DE-9IM boundary/boundary dimension 1, so corner-only contact does not count) and at least one is a member
-- (connectors join their neighbours but not each other); blocks are the connected components (pgRouting), and each
-- block is the ST_Union of its members, whose areas it adds up. Table dltb(ogc_fid, dlbm, pbf, geom) as loaded by
-- ogr2ogr. Variables: members (a boolean SQL expression over dlbm/pbf), connectors (a list of codes), out (a file).
\set ON_ERROR_STOP on
DROP TABLE IF EXISTS bk_nodes, bk_edges, bk_comp, bk_blocks;
CREATE UNLOGGED TABLE bk_nodes AS
  SELECT ogc_fid AS id, geom, (:members) AS member FROM dltb WHERE (:members) OR dlbm IN (:connectors);
CREATE INDEX ON bk_nodes USING gist (geom);
ANALYZE bk_nodes;
CREATE UNLOGGED TABLE bk_edges AS
  SELECT a.id AS source, b.id AS target
  FROM bk_nodes a JOIN bk_nodes b ON a.id < b.id AND a.geom && b.geom
  WHERE (a.member OR b.member) AND ST_Relate(a.geom, b.geom, '****1****');
CREATE UNLOGGED TABLE bk_comp AS
  SELECT node, component FROM pgr_connectedComponents(
    'SELECT row_number() OVER () AS id, source, target, 1.0::float8 AS cost, 1.0::float8 AS reverse_cost FROM bk_edges');
CREATE UNLOGGED TABLE bk_blocks AS
  SELECT coalesce(c.component, n.id) AS block, min(n.id) AS first, count(*) AS parcels,
         sum(ST_Area(n.geom)) AS area, ST_Union(n.geom) AS geom
  FROM bk_nodes n LEFT JOIN bk_comp c ON c.node = n.id
  WHERE n.member GROUP BY 1;
\pset format unaligned
\pset tuples_only on
\pset fieldsep '\t'
\o :out
SELECT first, parcels, area, ST_Area(geom) FROM bk_blocks ORDER BY first;
\o
