import Foundation

/// An affine map of the image plane: x' = a·x + b·y + tx, y' = c·x + d·y + ty.
///
/// Coordinates are continuous pixel coordinates: an image of width W and height H covers
/// [0, W] × [0, H], pixel (row i, column j) is the unit square whose centre is (j + ½, i + ½),
/// and y points down. Boxes use the same coordinates, so one map moves pixels, masks and
/// boxes consistently.
public struct AffineMap: Equatable, Sendable {
    public var a: Double, b: Double, c: Double, d: Double, tx: Double, ty: Double

    public init(a: Double, b: Double, c: Double, d: Double, tx: Double, ty: Double) {
        self.a = a; self.b = b; self.c = c; self.d = d; self.tx = tx; self.ty = ty
    }

    public static let identity = AffineMap(a: 1, b: 0, c: 0, d: 1, tx: 0, ty: 0)

    /// Moves every point by (dx, dy).
    public static func translation(_ dx: Double, _ dy: Double) -> AffineMap {
        AffineMap(a: 1, b: 0, c: 0, d: 1, tx: dx, ty: dy)
    }

    /// Scales about the origin.
    public static func scale(_ sx: Double, _ sy: Double) -> AffineMap {
        AffineMap(a: sx, b: 0, c: 0, d: sy, tx: 0, ty: 0)
    }

    /// Mirrors left–right within an image of the given width.
    public static func horizontalFlip(width: Int) -> AffineMap {
        AffineMap(a: -1, b: 0, c: 0, d: 1, tx: Double(width), ty: 0)
    }

    /// Mirrors top–bottom within an image of the given height.
    public static func verticalFlip(height: Int) -> AffineMap {
        AffineMap(a: 1, b: 0, c: 0, d: -1, tx: 0, ty: Double(height))
    }

    /// A quarter turn counter-clockwise as displayed (NumPy's `rot90`): a W×H image becomes
    /// H×W, and (x, y) goes to (y, W − x). Exact: no trigonometry involved.
    public static func quarterTurn(width: Int) -> AffineMap {
        AffineMap(a: 0, b: 1, c: -1, d: 0, tx: 0, ty: Double(width))
    }

    /// A rotation by `radians` counter-clockwise as displayed (y down) about (cx, cy).
    public static func rotation(_ radians: Double, aboutX cx: Double, y cy: Double) -> AffineMap {
        let cs = cos(radians), sn = sin(radians)
        // u' = cos·u + sin·v, v' = −sin·u + cos·v with (u, v) relative to the centre.
        return AffineMap(a: cs, b: sn, c: -sn, d: cs,
                         tx: cx - cs * cx - sn * cy, ty: cy + sn * cx - cs * cy)
    }

    /// The image of a point.
    @inline(__always)
    public func apply(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
        (a * x + b * y + tx, c * x + d * y + ty)
    }

    /// `next` applied after `self`: p ↦ next(self(p)).
    public func then(_ next: AffineMap) -> AffineMap {
        AffineMap(a: next.a * a + next.b * c, b: next.a * b + next.b * d,
                  c: next.c * a + next.d * c, d: next.c * b + next.d * d,
                  tx: next.a * tx + next.b * ty + next.tx, ty: next.c * tx + next.d * ty + next.ty)
    }

    /// The inverse map, or nil when the linear part is singular.
    public var inverse: AffineMap? {
        let det = a * d - b * c
        guard det != 0, det.isFinite else { return nil }
        let ia = d / det, ib = -b / det, ic = -c / det, id = a / det
        return AffineMap(a: ia, b: ib, c: ic, d: id,
                         tx: -(ia * tx + ib * ty), ty: -(ic * tx + id * ty))
    }

    /// The smaller singular value of the linear part: how much the map shrinks distances
    /// in its most-shrinking direction (> 1 means it stretches every direction).
    public var minimumStretch: Double {
        // Singular values of [[a, b], [c, d]] from the eigenvalues of MᵀM.
        let p = a * a + c * c, q = a * b + c * d, r = b * b + d * d
        let mean = (p + r) / 2
        let spread = (((p - r) / 2) * ((p - r) / 2) + q * q).squareRoot()
        return max(0, mean - spread).squareRoot()
    }

    /// The smallest axis-aligned box enclosing the image of `box` (its four corners).
    public func enclosing(_ box: BoundingBox) -> BoundingBox {
        let corners = [apply(Double(box.x1), Double(box.y1)), apply(Double(box.x2), Double(box.y1)),
                       apply(Double(box.x1), Double(box.y2)), apply(Double(box.x2), Double(box.y2))]
        var x1 = corners[0].x, x2 = corners[0].x, y1 = corners[0].y, y2 = corners[0].y
        for p in corners.dropFirst() {
            x1 = min(x1, p.x); x2 = max(x2, p.x); y1 = min(y1, p.y); y2 = max(y2, p.y)
        }
        return BoundingBox(x1: Float(x1), y1: Float(y1), x2: Float(x2), y2: Float(y2), label: box.label)
    }
}
