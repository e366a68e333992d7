import Framework

/// Assigns each predicted box (anchor or proposal) to the ground-truth box it overlaps most,
/// or marks it background or ignored, as torchvision's `Matcher`.
///
/// A box whose best IoU is below `lowThreshold` is background (`Matcher.background`, −1);
/// between the thresholds it is ignored (`Matcher.ignored`, −2). With
/// `allowLowQualityMatches`, every box that ties for a ground truth's highest IoU keeps its
/// best match even below the thresholds, so that a clump smaller than every anchor still
/// gets a positive anchor. (As in torchvision, the box keeps the ground truth it overlaps
/// most, which need not be the one it was restored for.)
public struct Matcher: Equatable, Sendable {
    public static let background = -1
    public static let ignored = -2

    public var highThreshold: Float
    public var lowThreshold: Float
    public var allowLowQualityMatches: Bool

    public init(highThreshold: Float, lowThreshold: Float, allowLowQualityMatches: Bool) {
        precondition(lowThreshold <= highThreshold, "Matcher: low threshold above high")
        self.highThreshold = highThreshold
        self.lowThreshold = lowThreshold
        self.allowLowQualityMatches = allowLowQualityMatches
    }

    /// The matched ground-truth index of each predicted box, or −1 / −2.
    /// - Parameter quality: IoU of ground truth g (rows) with predicted box p (columns).
    public func callAsFunction(_ quality: [[Float]], predictions: Int) -> [Int] {
        guard !quality.isEmpty else { return [Int](repeating: Self.background, count: predictions) }
        var best = [Float](repeating: -.infinity, count: predictions)
        var argbest = [Int](repeating: 0, count: predictions)
        // The first ground truth of highest IoU wins ties, as torch.max on the CPU.
        for (g, row) in quality.enumerated() {
            for p in 0..<predictions where row[p] > best[p] {
                best[p] = row[p]
                argbest[p] = g
            }
        }
        var matches = argbest
        for p in 0..<predictions {
            if best[p] < lowThreshold { matches[p] = Self.background }
            else if best[p] < highThreshold { matches[p] = Self.ignored }
        }
        if allowLowQualityMatches {
            for row in quality {
                let top = row.max() ?? 0
                for p in 0..<predictions where row[p] == top { matches[p] = argbest[p] }
            }
        }
        return matches
    }
}
