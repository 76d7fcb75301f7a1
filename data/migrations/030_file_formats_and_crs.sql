-- Issue 10: detection batches come in every common GIS format and in any supported CRS.
-- `crs` keeps what the uploader asked for (a datum name, or EPSG:n); the CRS the file itself
-- declares (.prj, FlatGeobuf header, GeoJSON crs member, GeoPackage srs) is resolved while reading.
ALTER TABLE detection_batches DROP CONSTRAINT IF EXISTS detection_batches_file_format_check;
ALTER TABLE detection_batches ADD CONSTRAINT detection_batches_file_format_check
  CHECK (file_format IN ('geojson', 'geojsonseq', 'shapefile', 'kmz', 'flatgeobuf', 'geopackage', 'kml', 'csv', 'features'));
ALTER TABLE detection_batches DROP CONSTRAINT IF EXISTS detection_batches_crs_check;
ALTER TABLE detection_batches ADD CONSTRAINT detection_batches_crs_check
  CHECK (crs IN ('WGS84', 'CGCS2000', 'GCJ02', 'AUTO') OR crs ~ '^EPSG:[0-9]{4,5}$');
