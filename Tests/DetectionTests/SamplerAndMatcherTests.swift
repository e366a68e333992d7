import DetectionPlugin
import Framework
import Testing

@Suite("Balanced sampler and matcher")
struct SamplerAndMatcherTests {
    @Test(arguments: [(positives: 10, negatives: 500), (positives: 300, negatives: 500), (positives: 2, negatives: 3)])
    func samplerDrawsAtMostItsShareOfPositives(counts: (positives: Int, negatives: Int)) {
        // Labels: positives 1 (and a class 2), negatives 0, ignored −1 mixed in.
        var labels: [Int] = []
        for i in 0..<counts.positives { labels.append(i % 2 + 1) }
        labels += [Int](repeating: 0, count: counts.negatives) + [Int](repeating: -1, count: 40)
        var rng = RandomGenerator(seed: 4)
        labels.shuffle(using: &rng)
        let sampler = BalancedSampler(batchSize: 256, positiveFraction: 0.5)
        let (pos, neg) = sampler.sample(labels, using: &rng)
        let wantedPos = min(128, counts.positives)
        #expect(pos.count == wantedPos)
        #expect(neg.count == min(256 - wantedPos, counts.negatives))
        #expect(pos.allSatisfy { labels[$0] >= 1 } && neg.allSatisfy { labels[$0] == 0 })
        #expect(Set(pos).count == pos.count && Set(neg).count == neg.count && pos == pos.sorted())
    }

    @Test func samplerDrawsUniformly() {
        // 1,000 positives, 100 drawn each time: every index should come up about 10 % of draws.
        let labels = [Int](repeating: 1, count: 1000)
        let sampler = BalancedSampler(batchSize: 200, positiveFraction: 0.5)
        var rng = RandomGenerator(seed: 8)
        var hits = [Int](repeating: 0, count: 1000)
        for _ in 0..<400 { for i in sampler.sample(labels, using: &rng).positives { hits[i] += 1 } }
        #expect(hits.min()! > 15 && hits.max()! < 70, "hits from \(hits.min()!) to \(hits.max()!) of 400 draws at p = 0.1")
    }

    @Test func matcherThresholdsAndLowQualityRestore() {
        // Truth 0 overlaps box 0 at 0.8 (positive) and box 1 at 0.5 (ignored); truth 1's best
        // box is box 2 at 0.2, below background, restored by the low-quality rule.
        let q: [[Float]] = [[0.8, 0.5, 0.0, 0.1], [0.0, 0.1, 0.2, 0.05]]
        let strict = Matcher(highThreshold: 0.7, lowThreshold: 0.3, allowLowQualityMatches: false)(q, predictions: 4)
        #expect(strict == [0, Matcher.ignored, Matcher.background, Matcher.background])
        let lenient = Matcher(highThreshold: 0.7, lowThreshold: 0.3, allowLowQualityMatches: true)(q, predictions: 4)
        #expect(lenient == [0, Matcher.ignored, 1, Matcher.background])
        #expect(Matcher(highThreshold: 0.5, lowThreshold: 0.5, allowLowQualityMatches: false)([], predictions: 3) == [-1, -1, -1])
    }
}
