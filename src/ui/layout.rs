//! Screen geometry, shared by rendering and by `update` (page size), so both agree.
//!
//! Panes collapse in a fixed order as the terminal shrinks (ux.md): first the places strip
//! (below 30 rows), then the side-by-side detail (below 70 columns: Enter shows it full width).

use ratatui::layout::Rect;

use crate::app::View;

pub const MIN_SIDE_BY_SIDE_WIDTH: u16 = 70;
pub const MIN_PLACES_STRIP_HEIGHT: u16 = 30;
pub const PLACES_STRIP_HEIGHT: u16 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub title: Rect,
    pub list: Option<Rect>,
    pub detail: Option<Rect>,
    pub places: Option<Rect>,
    pub status: Rect,
    pub hints: Rect,
}

/// Where each pane goes. `detail_focus` picks the one pane shown when there is room for one.
pub fn areas(area: Rect, view: View, detail_focus: bool) -> Areas {
    let h = area.height;
    let title = Rect {
        height: h.min(1),
        ..area
    };
    let hints = Rect {
        y: area.y + h.saturating_sub(1),
        height: h.min(1),
        ..area
    };
    let status = Rect {
        y: area.y + h.saturating_sub(2),
        height: u16::from(h >= 2),
        ..area
    };
    let body_h = h.saturating_sub(3);
    let mut body = Rect {
        y: area.y + 1,
        height: body_h,
        ..area
    };
    let places = if view == View::Queue && h >= MIN_PLACES_STRIP_HEIGHT {
        body.height -= PLACES_STRIP_HEIGHT;
        Some(Rect {
            y: body.y + body.height,
            height: PLACES_STRIP_HEIGHT,
            ..body
        })
    } else {
        None
    };
    let (list, detail) = if area.width >= MIN_SIDE_BY_SIDE_WIDTH {
        let lw = list_width(area.width, view);
        (
            Some(Rect { width: lw, ..body }),
            Some(Rect {
                x: body.x + lw,
                width: body.width - lw,
                ..body
            }),
        )
    } else if detail_focus {
        (None, Some(body))
    } else {
        (Some(body), None)
    };
    Areas {
        title,
        list,
        detail,
        places,
        status,
        hints,
    }
}

fn list_width(w: u16, view: View) -> u16 {
    match view {
        View::Queue => (w * 2 / 5).clamp(36, 52),
        View::Schools | View::Places | View::Today | View::Figures => (w / 2).clamp(36, 64),
    }
}

/// Rows of items a list shows: its height less borders and the search line.
pub fn list_rows(size: (u16, u16), view: View) -> u16 {
    let a = areas(Rect::new(0, 0, size.0, size.1), view, false);
    a.list.map_or(0, |l| l.height.saturating_sub(3))
}
