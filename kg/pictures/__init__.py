"""What people see: the map, the timelines and status strips, and the report.

Every picture is drawn from the same resolved answers as ``kg status`` and the cards
(:mod:`kg.lookup`): pictures show the resolution and its disputes, they never decide a status.
Grouped by the path the data takes:

- :mod:`kg.pictures.style`: one legend for all pictures (colour by holder, marker by
  open/closed, classes for disputed, unknown and no report);
- :mod:`kg.pictures.scene`: the data a picture shows, read through :mod:`kg.lookup` (no
  plotting library);
- :mod:`kg.pictures.basemap`: the Natural Earth extract and the projection;
- :mod:`kg.pictures.mapsvg`: the map as SVG (written by hand: classes, ids, tooltips), PNG
  (the same drawing through matplotlib) and an offline HTML page;
- :mod:`kg.pictures.charts`: Gantt-style timelines and status strips (matplotlib);
- :mod:`kg.pictures.report`: the one-file HTML report.

Deterministic: the same graph and date give the same bytes (fixed fonts, no timestamps,
matplotlib's ``svg.hashsalt`` fixed). matplotlib is imported only inside the functions that draw
(:mod:`kg.pictures.charts`, :func:`kg.pictures.mapsvg.to_png`).
"""
