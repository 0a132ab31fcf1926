//! The map projection: Lambert conformal conic with standard parallels 45°N and 60°N, central
//! meridian 108°E (the middle of the study area, 73°E–144°E), through PROJ. A conic suits a
//! region wide in longitude at mid latitudes; being conformal, its scale at a point is the same
//! in every direction, so one scale bar is exact at the latitude it names and the error elsewhere
//! can be stated.

use geo::{Coord, Distance, Geodesic, Point};

/// The projection of every map (EPSG-style PROJ string).
pub const LCC: &str = "+proj=lcc +lat_1=45 +lat_2=60 +lat_0=50 +lon_0=108 +datum=WGS84 +units=m";

/// A forward LCC projection from lon/lat degrees to metres.
pub struct Lcc {
    proj: proj::Proj,
}

impl Lcc {
    pub fn new() -> Result<Lcc, String> {
        let proj = proj::Proj::new(LCC).map_err(|e| format!("PROJ could not set up {LCC}: {e}"))?;
        Ok(Lcc { proj })
    }

    /// Projects (lon, lat) in degrees to (x, y) in metres; None where PROJ fails (never inside
    /// the region drawn).
    pub fn fwd(&self, c: Coord<f64>) -> Option<Coord<f64>> {
        let p = self
            .proj
            .project((c.x.to_radians(), c.y.to_radians()), false)
            .ok()?;
        (p.0.is_finite() && p.1.is_finite()).then_some(Coord { x: p.0, y: p.1 })
    }

    /// Unprojects (x, y) metres to (lon, lat) degrees.
    pub fn inv(&self, c: Coord<f64>) -> Option<Coord<f64>> {
        let p = self.proj.project((c.x, c.y), true).ok()?;
        let (lon, lat) = (p.0.to_degrees(), p.1.to_degrees());
        (lon.is_finite() && lat.is_finite()).then_some(Coord { x: lon, y: lat })
    }

    /// The scale factor k at (lon, lat): projected length over true (geodesic, WGS 84) length of a
    /// short east–west step. For a conformal projection this is the scale in every direction.
    pub fn scale_factor(&self, lon: f64, lat: f64) -> Option<f64> {
        let d = 0.01;
        let a = self.fwd(Coord { x: lon - d, y: lat })?;
        let b = self.fwd(Coord { x: lon + d, y: lat })?;
        let map = ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
        let true_len = Geodesic.distance(Point::new(lon - d, lat), Point::new(lon + d, lat));
        (true_len > 0.0).then_some(map / true_len)
    }

    /// Projects a densified line of constant latitude or longitude (a graticule line).
    pub fn meridian(&self, lon: f64, lat0: f64, lat1: f64) -> Vec<Coord<f64>> {
        let n = ((lat1 - lat0).abs() * 4.0).ceil().max(1.0) as usize;
        (0..=n)
            .filter_map(|i| {
                self.fwd(Coord {
                    x: lon,
                    y: lat0 + (lat1 - lat0) * i as f64 / n as f64,
                })
            })
            .collect()
    }

    pub fn parallel(&self, lat: f64, lon0: f64, lon1: f64) -> Vec<Coord<f64>> {
        let n = ((lon1 - lon0).abs() * 2.0).ceil().max(1.0) as usize;
        (0..=n)
            .filter_map(|i| {
                self.fwd(Coord {
                    x: lon0 + (lon1 - lon0) * i as f64 / n as f64,
                    y: lat,
                })
            })
            .collect()
    }
}
