import Framework

/// The table published for GZ DECaLS / DESI: per question, accuracy, precision, recall and
/// F1 on confident galaxies (one answer > 0.8 of the votes, question asked of ≥ half the
/// volunteers), and the mean absolute deviation of predicted vote fractions per answer.
public struct VoteTreeEvaluation {
    public struct QuestionRow {
        public var name: String
        /// Galaxies that count as confident for this question.
        public var confidentCount: Int
        public var accuracy: Double
        /// Macro averages over the question's answers.
        public var precision: Double
        public var recall: Double
        public var f1: Double
    }

    public var questions: [QuestionRow] = []
    /// Per question, predicted against volunteer vote fractions of its answers over the
    /// galaxies asked it (the GZ DESI calibration figure), in `questions` order.
    public var reliability: [ReliabilityCurve] = []
    /// The same, every answer of every question pooled.
    public var pooledReliability: ReliabilityCurve
    /// Per answer column: mean |predicted − volunteer| vote fraction over galaxies asked it.
    public var deviations: [(column: String, mad: Double, count: Int)] = []

    public var meanAbsoluteDeviation: Double {
        let valid = deviations.filter { $0.count > 0 }
        return valid.isEmpty ? .nan : valid.map(\.mad).reduce(0, +) / Double(valid.count)
    }

    public init(tree: DecisionTree, predictions: [[Float]], counts: Tensor) {
        pooledReliability = ReliabilityCurve()
        let k = tree.answerCount
        let n = predictions.count
        var rows: [[Float]] = (0..<n).map { Array(counts.storage[($0 * k)..<(($0 + 1) * k)]) }
        if rows.count != n { rows = [] }
        let asked = rows.map { tree.fractionAsked(counts: $0) }
        let fractions = rows.map { tree.voteFractions(counts: $0) }
        var madSums = [Double](repeating: 0, count: k), madCounts = [Int](repeating: 0, count: k)
        for (q, range) in tree.answerRanges.enumerated() {
            var truth: [Int] = [], probs: [[Float]] = []
            var curve = ReliabilityCurve()
            for i in 0..<n {
                let total = range.reduce(Float(0)) { $0 + rows[i][$1] }
                guard total > 0 else { continue }
                for a in range {
                    madSums[a] += Double(abs(predictions[i][a] - fractions[i][a]))
                    madCounts[a] += 1
                    curve.add(prediction: Double(predictions[i][a]), target: Double(fractions[i][a]))
                    pooledReliability.add(prediction: Double(predictions[i][a]), target: Double(fractions[i][a]))
                }
                let best = range.max { fractions[i][$0] < fractions[i][$1] }!
                if fractions[i][best] > 0.8 && asked[i][q] >= 0.5 {
                    truth.append(best - range.lowerBound)
                    probs.append(Array(predictions[i][range]))
                }
            }
            var row = QuestionRow(name: tree.questions[q].name, confidentCount: truth.count, accuracy: .nan,
                                  precision: .nan, recall: .nan, f1: .nan)
            if !truth.isEmpty {
                let m = ClassificationMetrics(probabilities: probs, labels: truth)
                row.accuracy = m.accuracy
                let present = Set(truth)
                let idx = Array(present).sorted()
                row.precision = idx.map { m.precision[$0] }.reduce(0, +) / Double(idx.count)
                row.recall = idx.map { m.recall[$0] }.reduce(0, +) / Double(idx.count)
                row.f1 = idx.map { m.f1[$0] }.reduce(0, +) / Double(idx.count)
            }
            questions.append(row)
            reliability.append(curve)
        }
        deviations = tree.columnNames.enumerated().map { (a, c) in
            (c, madCounts[a] > 0 ? madSums[a] / Double(madCounts[a]) : .nan, madCounts[a])
        }
    }
}
