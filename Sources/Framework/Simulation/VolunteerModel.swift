import Foundation

/// Galaxy Zoo volunteers as a measuring device: for each GZ DECaLS question, the probability
/// of each answer given what the galaxy is and how clearly it shows; and the votes of a crowd
/// who walk the decision tree.
///
/// Ordered answers (bar strength, bulge size, roundness, winding, arm count, merging) come
/// from a discretised Gaussian around the true position on the answer scale, whose width
/// grows as the feature fades: a clear strong bar gets ~90 % "strong", a faint one spreads
/// towards "weak" and "no". Unordered answers mix the true answer with a confused prior.
/// Every answer keeps a 2 % floor of random clicks.
public enum VolunteerModel {
    /// The tree whose answers the model gives.
    public static let tree = DecisionTree.gzDecals

    /// Share of answers given at random, spread evenly.
    static let randomClicks: Float = 0.02

    /// P(answer k) ∝ exp(−(k − t)²/2σ²) over `count` ordered answers.
    static func ordinal(_ t: Double, sigma: Double, count: Int) -> [Double] {
        let w = (0..<count).map { k in exp(-(Double(k) - t) * (Double(k) - t) / (2 * sigma * sigma)) }
        let total = w.reduce(0, +)
        return w.map { $0 / total }
    }

    /// The true answer with weight c, else the prior.
    static func categorical(_ truth: Int, confidence c: Double, prior: [Double]) -> [Double] {
        prior.enumerated().map { k, p in (k == truth ? c : 0) + (1 - c) * p }
    }

    /// Piecewise-linear interpolation through (x, y) knots sorted by x, flat beyond the ends.
    static func interpolate(_ x: Double, _ knots: [(Double, Double)]) -> Double {
        if x <= knots[0].0 { return knots[0].1 }
        for (a, b) in zip(knots, knots.dropFirst()) where x <= b.0 {
            return a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0)
        }
        return knots[knots.count - 1].1
    }

    static func logistic(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// Answer probabilities for every question of `tree`, in its column order, for a
    /// volunteer who is asked it.
    public static func answerProbabilities(_ galaxy: SimulatedGalaxy) -> [Float] {
        let s = galaxy.structure, v = galaxy.visibility
        let isDisk = s.morphology == .disk, isEdgeOn = s.morphology == .edgeOn
        var answers: [[Double]] = []

        // smooth-or-featured: featured evidence from the features volunteers can see.
        if s.morphology == .artifact {
            answers.append([0.10, 0.04, 0.86])
        } else {
            let evidence: Double
            if isDisk {
                evidence = 1 - (1 - 0.92 * v.arms) * (1 - 0.8 * v.bar) * (1 - 0.6 * v.ring) * (1 - 0.5 * v.clumps)
                    * (1 - 0.35 * v.galaxy * (1 - s.bulgeToTotal))
            } else if isEdgeOn {
                evidence = v.galaxy * (0.5 + 0.5 * min(1, max(0, (0.45 - s.axisRatio) / 0.3)))
            } else {
                evidence = 0.3 * v.interaction + 0.1 * (1 - v.galaxy)
            }
            let featured = 0.05 + 0.9 * evidence
            let artifact = min(0.2, 0.01 + 0.03 * Double(s.starCount))
            answers.append([max(0, 1 - featured - artifact), featured, artifact])
        }

        // disk-edge-on: from the inclination, hedged when the galaxy is hard to see.
        let edgeOn: Double
        switch s.morphology {
        case .disk, .edgeOn:
            let t = logistic((s.inclination - 77) / 2.5)
            edgeOn = min(0.98, max(0.02, 0.5 + (t - 0.5) * (0.5 + 0.5 * v.galaxy)))
        case .elliptical:
            edgeOn = 0.02 + 0.5 * logistic((0.3 - s.axisRatio) / 0.05)
        case .artifact:
            edgeOn = 0.3
        }
        answers.append([edgeOn, 1 - edgeOn])

        // has-spiral-arms
        let spiral = s.armCount > 0 ? 0.12 + 0.84 * v.arms
            : 0.05 + 0.2 * v.ring + 0.08 * v.clumps + (isDisk ? 0.1 * (1 - v.galaxy) : 0)
        answers.append([spiral, 1 - spiral])

        // bar: 0 strong … 2 no (strength 0.75 sits on "strong", 0.3 on "weak", 0.5 and 0.15
        // on the boundaries); a faint bar slides towards "no".
        let barTruth = interpolate(s.barStrength, [(0, 2), (0.15, 1.5), (0.3, 1), (0.5, 0.5), (0.75, 0)])
        answers.append(ordinal(2 - (2 - barTruth) * v.bar, sigma: 0.3 + 0.45 * (1 - v.bar), count: 3))

        // bulge-size: 0 dominant … 4 none, from B/T.
        if s.morphology == .artifact {
            answers.append(ordinal(2, sigma: 1.5, count: 5))
        } else {
            let t = interpolate(s.bulgeToTotal, [(0, 4), (0.075, 3), (0.2, 2), (0.38, 1), (0.6, 0)])
            answers.append(ordinal(t, sigma: 0.4 + 0.5 * (1 - v.bulge), count: 5))
        }

        // how-rounded: 0 round … 2 cigar-shaped, from the apparent axis ratio.
        let roundness = interpolate(s.axisRatio, [(0.3, 2), (0.55, 1), (0.85, 0)])
        answers.append(ordinal(roundness, sigma: 0.3 + 0.4 * (1 - v.galaxy), count: 3))

        // edge-on-bulge: boxy, none, rounded.
        let bulgeTruth = s.edgeOnBulge?.rawValue ?? (s.bulgeToTotal > 0.15 ? 2 : 1)
        answers.append(categorical(bulgeTruth, confidence: 0.8 * v.galaxy, prior: [0.2, 0.35, 0.45]))

        // spiral-winding: 0 tight … 2 loose, from the pitch angle.
        if s.armCount > 0 {
            let t = interpolate(s.pitch, [(9.5, 0), (17.5, 1), (28.5, 2)])
            answers.append(ordinal(t, sigma: 0.35 + 0.6 * (1 - v.arms), count: 3))
        } else {
            answers.append(ordinal(1, sigma: 1, count: 3))
        }

        // spiral-arm-count: 1, 2, 3, 4, more-than-4, cant-tell.
        var counts: [Double]
        var cantTell: Double
        if s.armCount > 0 {
            let m = Double(min(s.armCount, 5))
            counts = ordinal(m - 1, sigma: 0.3 + 0.7 * (1 - v.arms) + 0.08 * max(0, m - 2), count: 5)
            cantTell = min(0.9, 0.03 + 0.5 * (1 - v.arms) + (s.winding == .tight ? 0.08 : 0))
        } else {
            counts = ordinal(1, sigma: 1, count: 5)
            cantTell = 0.5
        }
        counts = counts.map { $0 * (1 - cantTell) } + [cantTell]
        answers.append(counts)

        // merging: none, minor, major, merger; faint tails slide towards "none".
        let state = Double(s.merger.rawValue)
        let sigma = s.merger == .none ? 0.4 : 0.35 + 0.35 * (1 - v.interaction)
        answers.append(ordinal(state * v.interaction, sigma: sigma, count: 4))

        precondition(answers.map(\.count) == tree.answerRanges.map(\.count), "VolunteerModel: answers do not match the tree")
        return answers.flatMap { p in
            p.map { Float($0) * (1 - randomClicks) + randomClicks / Float(p.count) }
        }
    }
}
