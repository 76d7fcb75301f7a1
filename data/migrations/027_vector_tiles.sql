-- Vector tiles (issue 15). PostgreSQL with PostGIS built against protobuf-c encodes tiles with
-- ST_AsMVTGeom + ST_AsMVT. The embedded database's PostGIS has no protobuf-c: ST_AsMVTGeom
-- raises there, so this function does the same clipping to tile space in SQL, and the server
-- encodes its rows with vt-pbf (server/tiles/encode_tile.ts).
--
-- What ST_AsMVTGeom (PostGIS 3.3, mvt.c) does, step by step, and what is done here:
--   1. lines and polygons smaller than half a tile unit in both directions → NULL;
--   2. clip to the tile's box grown by `buffer` tile units (GEOS ClipByRect here: a rectangle
--      clip, no overlay, so no GEOS fallback exception that would end the statement silently on
--      the embedded database — docs/embedded_database.md);
--   3. affine transform to tile units, y pointing down, snapped to whole units, repeated points
--      removed;
--   4. a polygon part whose exterior turns round when snapped (a sliver) is dropped. Wagyu
--      decides slivers by its own integer geometry: at z10–11 a few zone slivers (10 of 1,846 on
--      the demo's z10 tile) are kept here that ST_AsMVT drops; from z12 the feature sets are
--      identical (tests/integration/vector_tiles.test.ts);
--   5. NULL when nothing of the geometry's dimension is left; polygon exteriors counter-clockwise
--      in tile units (what ST_AsMVTGeom returns: clockwise on screen, as the MVT spec asks).
-- Not done here: ST_AsMVTGeom makes clipped polygons valid (Wagyu or GEOS MakeValid); this
-- function does not (MakeValid is an overlay, see above). Renderers and decoders tolerate that;
-- the feature set and attributes are the same (tests/integration/vector_tiles.test.ts compares).
CREATE FUNCTION luyu_mvt_geom(geom geometry, bounds geometry, extent integer DEFAULT 4096, buffer integer DEFAULT 64)
RETURNS geometry LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  unit_x double precision := (ST_XMax(bounds) - ST_XMin(bounds)) / extent;
  unit_y double precision := (ST_YMax(bounds) - ST_YMin(bounds)) / extent;
  dimension integer;
  result geometry;
BEGIN
  IF geom IS NULL OR ST_IsEmpty(geom) THEN
    RETURN NULL;
  END IF;
  dimension := ST_Dimension(geom);
  IF dimension > 0 AND ST_XMax(geom) - ST_XMin(geom) < unit_x / 2 AND ST_YMax(geom) - ST_YMin(geom) < unit_y / 2 THEN
    RETURN NULL;
  END IF;
  IF dimension > 0 THEN
    result := ST_ClipByBox2D(geom, ST_MakeEnvelope(
      ST_XMin(bounds) - buffer * unit_x, ST_YMin(bounds) - buffer * unit_y,
      ST_XMax(bounds) + buffer * unit_x, ST_YMax(bounds) + buffer * unit_y));
  ELSE
    result := geom;
  END IF;
  result := ST_Affine(result, 1 / unit_x, 0, 0, -1 / unit_y, -ST_XMin(bounds) / unit_x, ST_YMax(bounds) / unit_y);
  IF dimension = 2 THEN
    -- A sliver whose exterior turns round once snapped is dropped, as ST_AsMVTGeom's polygon
    -- cleaning (Wagyu, positive winding) drops it.
    SELECT ST_Collect(part.snapped) INTO result
    FROM (SELECT ST_RemoveRepeatedPoints(ST_SnapToGrid(dumped.geom, 1)) AS snapped, dumped.geom AS original
          FROM ST_Dump(ST_CollectionExtract(result, 3)) AS dumped) AS part
    WHERE NOT ST_IsEmpty(part.snapped) AND ST_Area(part.snapped) > 0
      AND ST_IsPolygonCCW(ST_MakePolygon(ST_ExteriorRing(part.snapped))) = ST_IsPolygonCCW(ST_MakePolygon(ST_ExteriorRing(part.original)));
    IF result IS NULL THEN
      RETURN NULL;
    END IF;
  ELSE
    result := ST_RemoveRepeatedPoints(ST_SnapToGrid(result, 1));
  END IF;
  IF dimension = 0 THEN
    -- Points: only those within the buffered tile.
    SELECT ST_Collect(point.geom) INTO result
    FROM ST_Dump(result) AS point
    WHERE ST_X(point.geom) BETWEEN -buffer AND extent + buffer AND ST_Y(point.geom) BETWEEN -buffer AND extent + buffer;
    IF result IS NULL THEN
      RETURN NULL;
    END IF;
    IF ST_NumGeometries(result) = 1 THEN
      result := ST_GeometryN(result, 1);
    END IF;
    RETURN result;
  END IF;
  result := ST_CollectionExtract(result, dimension + 1);
  IF result IS NULL OR ST_IsEmpty(result) THEN
    RETURN NULL;
  END IF;
  IF dimension = 2 THEN
    IF ST_Area(result) = 0 THEN
      RETURN NULL;
    END IF;
    result := ST_ForcePolygonCCW(result);
  ELSIF ST_Length(result) = 0 THEN
    RETURN NULL;
  END IF;
  IF ST_NumGeometries(result) = 1 THEN
    result := ST_GeometryN(result, 1);
  END IF;
  RETURN result;
END;
$$;
