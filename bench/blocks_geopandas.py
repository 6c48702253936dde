"""Contiguous blocks with GeoPandas, the way an analyst writes them: touching pairs from a spatial join, kept when
their boundaries share a line (corner-only contact does not join) and one of them is a member (connectors join
their neighbours, not each other); connected components with SciPy; dissolve per block.
Usage: blocks_geopandas.py FILE farmland|pbf OUT.tsv  (prints the seconds after reading the file)"""
import sys, time
import geopandas as gpd
import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

path, which, out = sys.argv[1], sys.argv[2], sys.argv[3]
t_read = time.perf_counter()
gdf = gpd.read_file(path)
read_s = time.perf_counter() - t_read
t0 = time.perf_counter()
gdf["fid"] = np.arange(1, len(gdf) + 1)
member = gdf["PBF"].astype(int).eq(1) if which == "pbf" else gdf["DLBM"].isin(["0101", "0102", "0103"])
connector = gdf["DLBM"].isin(["1006", "1107", "1203"]) & ~member
gdf["member"] = member
sub = gdf[member | connector][["fid", "member", "geometry"]].reset_index(drop=True)
pairs = gpd.sjoin(sub, sub, how="inner", predicate="touches")
pairs = pairs[pairs.index < pairs["index_right"]]
pairs = pairs[pairs["member_left"] | pairs["member_right"]]
left = sub.geometry.loc[pairs.index].reset_index(drop=True)
right = sub.geometry.loc[pairs["index_right"].values].reset_index(drop=True)
shared_line = np.array([r[4] == "1" for r in left.relate(right)], dtype=bool)
i = pairs.index.values[shared_line]
j = pairs["index_right"].values[shared_line]
n = len(sub)
graph = coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
_, labels = connected_components(graph, directed=False)
sub["block"] = labels
members = sub[sub["member"]].copy()
members["area"] = members.geometry.area
blocks = members.dissolve(by="block", aggfunc={"fid": "min", "area": "sum", "member": "count"})
seconds = time.perf_counter() - t0
with open(out, "w") as f:
    for _, b in blocks.sort_values("fid").iterrows():
        f.write(f"{b['fid']}\t{b['member']}\t{b['area']!r}\t{b.geometry.area!r}\n")
print(f"geopandas\tread_s={read_s:.3f}\tblocks_s={seconds:.3f}\tblocks={len(blocks)}")
