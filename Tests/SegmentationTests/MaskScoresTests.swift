import TestSupport
import Foundation
import Testing
@testable import Framework
@testable import SegmentationPlugin

@Suite("Mask scores on hand-computed masks")
struct MaskScoresTests {
    /// Galaxy 0: one 2×2 bar; galaxy 1 has no bar mask (its values must be ignored).
    static func predictions() throws -> MaskPredictions {
        let p: [Float] = [0.9, 0.4, 0.2, 0.6, /* galaxy 1 */ 1, 1, 1, 1]
        let truth: [Float] = [1, 1, 0, 0, 0, 0, 0, 0]
        let soft: [Float] = [0.5, 0.5, 0, 0.5, 0, 0, 0, 0]
        return MaskPredictions(ids: ["a", "b"], indices: [0, 1], probabilities: try Tensor(shape: [2, 1, 2, 2], storage: p),
                               truth: try Tensor(shape: [2, 1, 2, 2], storage: truth), truthPresent: [[true], [false]],
                               soft: try Tensor(shape: [2, 1, 2, 2], storage: soft), softPresent: [[true], [false]])
    }

    @Test func overallAndPerGalaxyValues() throws {
        let p = try Self.predictions()
        let s = try MaskScores(p, classes: ["bar"], thresholds: [0.3, 0.5])
        let m = s.metrics
        func near(_ key: String, _ v: Double) {
            #expect(Swift.abs((m[key] ?? .nan) - v) < 1e-6, "\(key) = \(m[key] ?? .nan), expected \(v)")
        }
        // ≥ 0.5: predicted {0, 3}, truth {0, 1}: intersection 1, union 3.
        near("iou_50_bar", 1.0 / 3); near("dice_50_bar", 0.5)
        // ≥ 0.3: predicted {0, 1, 3}: intersection 2, union 3.
        near("iou_30_bar", 2.0 / 3); near("dice_30_bar", 0.8)
        // 2Σps / (Σp + Σs) = 2·0.95 / (2.1 + 1.5).
        near("soft_dice_bar", 1.9 / 3.6)
        // Positives 0.9, 0.4 against negatives 0.2, 0.6: 3 of 4 pairs ordered.
        near("pixel_auc_bar", 0.75)
        near("iou_50", 1.0 / 3)
        #expect(s.overall.examples == [1], "galaxy 1 has no bar mask and is left out")

        let table = s.perGalaxyTable(p)
        #expect(table.header == ["id_str", "class", "has_truth", "truth_pixels", "predicted_pixels_30", "predicted_pixels_50",
                                 "iou_30", "iou_50", "dice_30", "dice_50", "soft_dice", "pixel_auc"])
        #expect(table.rows[0] == ["a", "bar", "1", "2", "3", "2", "0.6667", "0.3333", "0.8000", "0.5000", "0.5278", "0.7500"])
        #expect(table.rows[1] == ["b", "bar", "0", "", "4", "4", "", "", "", "", "", ""])
    }
}
