/// The geometry of one light component. Each case draws itself onto a canvas with a given
/// total flux (see the case's type for its profile).
public enum ComponentShape: Codable, Equatable, Sendable {
    case sersic(SersicProfile)
    case ferrers(FerrersBar)
    case spiral(SpiralArms)
    case ring(GaussianRing)
    case spot(GaussianSpot)
    case tail(TidalTail)
    case line(LineSource)
    /// Drawn after the blur, from the PSF itself (see `Scene`).
    case point(PointSource)

    /// Fills `out` (canvas-sized, zeroed) with the pixel fluxes of this shape holding
    /// `flux` in total. Sérsic profiles and spots are normalised analytically (light beyond
    /// the canvas is lost); the other shapes have no closed-form total over a pixel grid and
    /// are scaled so the canvas holds exactly `flux`. A point source puts its flux in its
    /// pixel (its pre-blur truth); `Scene` draws its image from the PSF.
    func render(flux: Double, into out: UnsafeMutablePointer<Float>, canvas: RenderCanvas) {
        switch self {
        case let .sersic(s): s.render(flux: flux, into: out, canvas: canvas)
        case let .ferrers(b): b.render(flux: flux, into: out, canvas: canvas)
        case let .spiral(a): a.render(flux: flux, into: out, canvas: canvas)
        case let .ring(r): r.render(flux: flux, into: out, canvas: canvas)
        case let .spot(s): s.render(flux: flux, into: out, canvas: canvas)
        case let .tail(t): t.render(flux: flux, into: out, canvas: canvas)
        case let .line(l): l.render(flux: flux, into: out, canvas: canvas)
        case let .point(p):
            // Before the blur a point source is all in one pixel.
            let i = Int((p.y + Double(canvas.pad)).rounded(.down)), j = Int((p.x + Double(canvas.pad)).rounded(.down))
            if (0..<canvas.size).contains(i), (0..<canvas.size).contains(j) { out[i &* canvas.size &+ j] = Float(flux) }
        }
    }

    /// Scales the block rows × cols of `out` so that it sums to `flux` (left at 0 if the
    /// shape fell between pixel centres).
    static func normalise(_ out: UnsafeMutablePointer<Float>, rows: Range<Int>, cols: Range<Int>, size: Int, to flux: Double) {
        var sum = 0.0
        for i in rows {
            var rowSum: Float = 0
            for j in cols { rowSum += out[i &* size &+ j] }
            sum += Double(rowSum)
        }
        guard sum > 0 else { return }
        let scale = Float(flux / sum)
        for i in rows {
            for j in cols { out[i &* size &+ j] *= scale }
        }
    }
}
