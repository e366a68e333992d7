/// Metrics of a classifier from predicted class probabilities and true labels: accuracy,
/// per-class precision/recall/F1, the confusion matrix and (for two classes) ROC AUC.
public struct ClassificationMetrics: Codable, Sendable, Equatable {
    public var count: Int
    public var accuracy: Double
    /// confusion[true][predicted].
    public var confusion: [[Int]]
    public var precision: [Double]
    public var recall: [Double]
    public var f1: [Double]
    /// Area under the ROC curve of the positive class (class 1) for binary problems,
    /// one-vs-rest macro average otherwise.
    public var rocAUC: Double?

    /// - Parameters:
    ///   - probabilities: one row per example, one column per class.
    ///   - labels: the true class of each example.
    public init(probabilities: [[Float]], labels: [Int]) {
        precondition(probabilities.count == labels.count, "metrics: \(probabilities.count) predictions for \(labels.count) labels")
        let k = probabilities.first?.count ?? 0
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        var correct = 0
        for (p, y) in zip(probabilities, labels) {
            let pred = p.indices.max(by: { p[$0] < p[$1] }) ?? 0
            if y >= 0 && y < k { confusion[y][pred] += 1 }
            if pred == y { correct += 1 }
        }
        count = labels.count
        accuracy = labels.isEmpty ? 0 : Double(correct) / Double(labels.count)
        self.confusion = confusion
        precision = (0..<k).map { c in
            let predicted = (0..<k).reduce(0) { $0 + confusion[$1][c] }
            return predicted == 0 ? 0 : Double(confusion[c][c]) / Double(predicted)
        }
        recall = (0..<k).map { c in
            let actual = confusion[c].reduce(0, +)
            return actual == 0 ? 0 : Double(confusion[c][c]) / Double(actual)
        }
        f1 = zip(precision, recall).map { p, r in p + r == 0 ? 0 : 2 * p * r / (p + r) }
        if k == 2 {
            rocAUC = ClassificationMetrics.auc(scores: probabilities.map { Double($0[1]) }, positives: labels.map { $0 == 1 })
        } else if k > 2 {
            let per = (0..<k).compactMap { c in
                ClassificationMetrics.auc(scores: probabilities.map { Double($0[c]) }, positives: labels.map { $0 == c })
            }
            rocAUC = per.isEmpty ? nil : per.reduce(0, +) / Double(per.count)
        }
    }

    /// ROC AUC as the Mann–Whitney statistic (ties count one half); nil without both classes.
    public static func auc(scores: [Double], positives: [Bool]) -> Double? {
        let nPos = positives.filter { $0 }.count, nNeg = positives.count - nPos
        guard nPos > 0, nNeg > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        // Average ranks over ties.
        var ranks = [Double](repeating: 0, count: scores.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let r = Double(i + j) / 2 + 1
            for t in i...j { ranks[order[t]] = r }
            i = j + 1
        }
        let sumPos = zip(ranks, positives).filter { $0.1 }.reduce(0) { $0 + $1.0 }
        return (sumPos - Double(nPos) * Double(nPos + 1) / 2) / (Double(nPos) * Double(nNeg))
    }

    /// Points (false-positive rate, true-positive rate) of the ROC curve, for plotting.
    public static func rocCurve(scores: [Double], positives: [Bool]) -> [(fpr: Double, tpr: Double)] {
        let nPos = Double(positives.filter { $0 }.count), nNeg = Double(positives.count) - nPos
        guard nPos > 0, nNeg > 0 else { return [] }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var tp = 0.0, fp = 0.0
        var points: [(Double, Double)] = [(0, 0)]
        var k = 0
        while k < order.count {
            let s = scores[order[k]]
            while k < order.count && scores[order[k]] == s {
                if positives[order[k]] { tp += 1 } else { fp += 1 }
                k += 1
            }
            points.append((fp / nNeg, tp / nPos))
        }
        return points
    }
}
