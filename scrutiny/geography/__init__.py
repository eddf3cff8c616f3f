"""Boundaries and populations for maps and rates: `import boundaries` and `import population`.

- readers.py opens a file (gzip or not) and gives its features: GeoJSON, newline-delimited
  GeoJSON, TopoJSON (topojson.py decodes the arcs) or a CSV of centroids.
- codes.py says what a code is (LSOA, district, force area) and finds the code property.
- shapes.py checks a geometry, repairs, simplifies and rounds it, and writes it as GeoJSON text.
- boundaries.py validates whole files and writes the `boundaries` table (06_geography.sql).
- placement.py: which area each district and LSOA of a force belongs to, by the area rules.
- outlines.py dissolves area (NPA or CSP) outlines from district and LSOA shapes.
- population.py imports Census populations and recomputes each area's population from them.
- areas.py: districts, area mappings and the areas they make; remapping.py re-maps a force.

Nothing here imports Streamlit.
"""
