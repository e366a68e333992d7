import Foundation

/// What else is in the frame: interactions, foreground stars, and the artifacts that make
/// volunteers answer "star or artifact".
extension GalaxySampler {
    /// Counts of a source of AB magnitude m.
    func counts(magnitude m: Double) -> Double { pow(10, -0.4 * (m - options.zeroPoint)) }

    /// Tidal tails and, for a merger, a companion galaxy.
    func drawInteraction(_ d: inout Draft, _ c: Context, _ dice: inout Dice) {
        let f = options.features
        let state: SimulatedGalaxy.MergerState
        if dice.chance(f.merger) {
            state = .merger
        } else if dice.chance(f.disturbance) {
            state = dice.chance(0.6) ? .minorDisturbance : .majorDisturbance
        } else {
            return
        }
        let re = d.structure.effectiveRadius
        let tails: Int, fraction: ClosedRange<Double>, span: ClosedRange<Double>
        switch state {
        case .minorDisturbance: (tails, fraction, span) = (1, 0.03...0.06, 1.0...2.0)
        case .majorDisturbance: (tails, fraction, span) = (dice.integer(1...2), 0.08...0.15, 1.5...3.5)
        default: (tails, fraction, span) = (dice.integer(1...2), 0.06...0.12, 1.5...3.5)
        }
        var hosts = [(c.x, c.y, re)]
        if state == .merger {
            let ratio = dice.uniform(0.25...1)
            let distance = min(re * dice.uniform(1.2...2.5), c.size / 2 - 4)
            let direction = dice.angle()
            let cx = c.x + max(3, distance) * cos(direction), cy = c.y + max(3, distance) * sin(direction)
            let n = dice.uniform(1...4)
            let cre = max(0.6, re * ratio.squareRoot() * dice.uniform(0.7...1.2))
            d.add(.companion, .sersic(SersicProfile(x: cx, y: cy, effectiveRadius: cre, index: n, axisRatio: dice.uniform(0.5...1),
                                                    angle: dice.uniform(0...Double.pi))),
                  flux: c.flux * ratio, colour: n > 2.5 ? Palette.old : Palette.disk)
            if dice.chance(0.5) { hosts.append((cx, cy, cre)) }
        }
        // Tails leave in a common sense of rotation, as in an encounter.
        let sense = dice.sign()
        for t in 0..<tails {
            let host = hosts[t % hosts.count]
            let tail = TidalTail(x: host.0, y: host.1, startAngle: dice.angle(), span: dice.uniform(span),
                                 startRadius: host.2 * dice.uniform(0.8...1.3),
                                 pitch: sense * dice.uniform(15...35) * Double.pi / 180,
                                 width: max(1, re * dice.uniform(0.12...0.25)), fade: dice.uniform(1...2.5))
            d.add(.tail, .tail(tail), flux: c.flux * dice.uniform(fraction), colour: Palette.disk)
        }
        d.structure.merger = state
    }

    /// Foreground stars away from the galaxy's centre.
    func drawStars(_ d: inout Draft, _ c: Context, _ dice: inout Dice) {
        guard dice.chance(options.features.stars) else { return }
        let wanted = dice.chance(0.3) ? 2 : 1
        let keepOut = max(6, 1.5 * d.structure.effectiveRadius)
        var placed = 0
        for _ in 0..<(wanted * 10) where placed < wanted {
            let x = dice.uniform(2...(c.size - 2)), y = dice.uniform(2...(c.size - 2))
            guard hypot(x - c.x, y - c.y) >= keepOut else { continue }
            let gr = dice.uniform(0.3...1.5)
            d.add(.star, .point(PointSource(x: x, y: y)), flux: counts(magnitude: dice.uniform(15...20)),
                  colour: (gr - d.tint.0, 0.45 * gr + dice.uniform(-0.1...0.1) - d.tint.1))
            placed += 1
        }
        d.structure.starCount = placed
    }

    /// An image dominated by a satellite trail, a saturated star's bleed column, bad rows or a
    /// bright star, sometimes over a faint compact galaxy.
    func drawArtifact(_ d: inout Draft, _ c: Context, _ dice: inout Dice) {
        let noise = c.sky[1].squareRoot()
        if dice.chance(0.5) {
            let re = pixels(dice.uniform(0.8...2), c)
            d.add(.elliptical, .sersic(SersicProfile(x: c.x, y: c.y, effectiveRadius: re, index: dice.uniform(1...4),
                                                     axisRatio: dice.uniform(0.5...1), angle: dice.uniform(0...Double.pi))),
                  flux: c.flux * dice.uniform(0.05...0.2), colour: Palette.old)
            d.structure.effectiveRadius = re
        }
        switch dice.choose([0.35, 0.25, 0.2, 0.2]) {
        case 0:
            let width = dice.uniform(0.5...1.0)
            let peak = dice.uniform(30...300) * noise
            let line = LineSource(x: c.x + dice.uniform(-0.25...0.25) * c.size, y: c.y + dice.uniform(-0.25...0.25) * c.size,
                                  angle: dice.uniform(0...Double.pi), width: width)
            // A trail from one exposure shows in one band; otherwise in all.
            var colour = BandColour(g: 1, r: 1, z: 1)
            if dice.chance(0.6) {
                let band = dice.integer(0...2)
                colour = BandColour(g: band == 0 ? 1 : 0, r: band == 1 ? 1 : 0, z: band == 2 ? 1 : 0)
            }
            d.components.append(GalaxyComponent(role: .trail, shape: .line(line),
                                                flux: peak * width * (2 * Double.pi).squareRoot() * 1.2 * c.size, colour: colour))
        case 1:
            let x = c.x + dice.uniform(-3...3), y = c.y + dice.uniform(-3...3)
            d.add(.star, .point(PointSource(x: x, y: y)), flux: counts(magnitude: dice.uniform(10...12)),
                  colour: (dice.uniform(0.3...1.2), 0.4))
            let half = Int(dice.uniform(8...(c.size / 2)))
            d.defects.append(.saturatedColumn(x: Int(x), y0: Int(y) - half, y1: Int(y) + half,
                                              level: dice.uniform(200...600) * noise))
            d.structure.starCount += 1
        case 2:
            let band = dice.integer(0...2)
            d.defects.append(.badRows(band: band, y: dice.integer(0...(Int(c.size) - 1)), count: dice.integer(1...4),
                                      level: dice.uniform(30...150) * c.sky[band].squareRoot()))
        default:
            d.add(.star, .point(PointSource(x: c.x + dice.uniform(-2...2), y: c.y + dice.uniform(-2...2))),
                  flux: counts(magnitude: dice.uniform(12...14.5)), colour: (dice.uniform(0.3...1.4), 0.4))
            d.structure.starCount += 1
        }
    }
}
