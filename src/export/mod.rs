//! Writing layers. GeoJSON is written by hand for a stable byte layout: one feature per line,
//! properties in a fixed order, coordinates as the shortest decimal of the micro-degree value.

pub mod geojson;
pub mod gpkg;
pub mod qgis;
pub mod shapefile;
pub mod style;
