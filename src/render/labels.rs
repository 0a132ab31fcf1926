//! Greedy label placement: labels are taken in priority order and each goes to the first of eight
//! positions around its anchor whose box hits no box placed before (labels, markers, fixed
//! obstacles) and stays inside the map. A label with no free position is left out rather than
//! drawn over another, so every label on the map can be read.

/// An axis-aligned box in map px.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub fn around(x: f64, y: f64, r: f64) -> Rect {
        Rect {
            x0: x - r,
            y0: y - r,
            x1: x + r,
            y1: y + r,
        }
    }

    pub fn hits(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    pub fn inside(&self, o: &Rect) -> bool {
        self.x0 >= o.x0 && self.x1 <= o.x1 && self.y0 >= o.y0 && self.y1 <= o.y1
    }
}

/// A label to place: its anchor point, its size and the space its text needs.
#[derive(Debug, Clone)]
pub struct Request {
    pub x: f64,
    pub y: f64,
    /// Text width and font size, px.
    pub width: f64,
    pub size: f64,
    /// Distance kept from the anchor (the marker's radius plus a gap).
    pub gap: f64,
}

/// Where a placed label's text goes: baseline start and anchor for SVG.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub x: f64,
    pub y: f64,
    pub anchor: &'static str,
    pub rect: Rect,
}

/// Places `reqs` in order; `None` for a label that found no free position. `taken` holds the
/// boxes already occupied (markers, other text) and receives the placed labels' boxes.
pub fn place(reqs: &[Request], bounds: &Rect, taken: &mut Vec<Rect>) -> Vec<Option<Placed>> {
    let mut out = Vec::with_capacity(reqs.len());
    for r in reqs {
        let h = r.size * 1.15;
        let asc = r.size * 0.78;
        let (w, g) = (r.width, r.gap);
        let d = g * 0.72;
        // (text box left, box top, anchor, baseline x) for: right, left, above-right,
        // below-right, above-left, below-left, above, below.
        let cands: [(f64, f64, &'static str, f64); 8] = [
            (r.x + g, r.y - h / 2.0, "start", r.x + g),
            (r.x - g - w, r.y - h / 2.0, "end", r.x - g),
            (r.x + d, r.y - d - h, "start", r.x + d),
            (r.x + d, r.y + d, "start", r.x + d),
            (r.x - d - w, r.y - d - h, "end", r.x - d),
            (r.x - d - w, r.y + d, "end", r.x - d),
            (r.x - w / 2.0, r.y - g - h, "middle", r.x),
            (r.x - w / 2.0, r.y + g, "middle", r.x),
        ];
        let mut found = None;
        for (left, top, anchor, bx) in cands {
            let rect = Rect {
                x0: left - 1.5,
                y0: top - 1.0,
                x1: left + w + 1.5,
                y1: top + h + 1.0,
            };
            if rect.inside(bounds) && !taken.iter().any(|t| t.hits(&rect)) {
                found = Some(Placed {
                    x: bx,
                    y: top + (h - r.size) / 2.0 + asc,
                    anchor,
                    rect,
                });
                break;
            }
        }
        if let Some(p) = &found {
            taken.push(p.rect);
        }
        out.push(found);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_label_moves_aside() {
        let bounds = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 500.0,
            y1: 500.0,
        };
        let req = Request {
            x: 100.0,
            y: 100.0,
            width: 60.0,
            size: 12.0,
            gap: 5.0,
        };
        let mut taken = Vec::new();
        let placed = place(&[req.clone(), req], &bounds, &mut taken);
        let (a, b) = (placed[0].clone(), placed[1].clone());
        let (a, b) = (a.expect("first placed"), b.expect("second placed"));
        assert!(!a.rect.hits(&b.rect));
    }
}
