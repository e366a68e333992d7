import TestSupport
import Foundation
import Testing
@testable import Framework

@Suite("Train / val / test splits")
struct DatasetSplitTests {
    /// 300 examples in three classes of 150, 100 and 50.
    static let labels: [String] = (0..<300).map { $0 < 150 ? "a" : ($0 < 250 ? "b" : "c") }

    @Test func stratifiedProportionsHoldPerClass() throws {
        let s = try DatasetSplit.random(count: 300, train: 0.6, val: 0.2, test: 0.2, seed: 7, strata: Self.labels)
        let all = (s.train + s.val + s.test).sorted()
        #expect(all == Array(0..<300))  // a partition: nothing lost or repeated
        for (cls, n) in [("a", 150), ("b", 100), ("c", 50)] {
            let count = { (part: [Int]) in part.filter { Self.labels[$0] == cls }.count }
            #expect(count(s.train) == n * 6 / 10, "class \(cls) train")
            #expect(count(s.val) == n * 2 / 10, "class \(cls) val")
            #expect(count(s.test) == n * 2 / 10, "class \(cls) test")
        }
    }

    @Test func sameSeedSameSplitOtherSeedOtherSplit() throws {
        let a = try DatasetSplit.random(count: 300, train: 0.7, val: 0.15, test: 0.15, seed: 42, strata: Self.labels)
        let b = try DatasetSplit.random(count: 300, train: 0.7, val: 0.15, test: 0.15, seed: 42, strata: Self.labels)
        let c = try DatasetSplit.random(count: 300, train: 0.7, val: 0.15, test: 0.15, seed: 43, strata: Self.labels)
        #expect(a == b)
        #expect(a != c)
        #expect(a.train == a.train.sorted())
        let plain = try DatasetSplit.random(count: 101, train: 0.8, val: 0.1, test: 0.1, seed: 1)
        let sizes: [Int] = [plain.train.count, plain.val.count, plain.test.count]
        #expect(sizes == [81, 10, 10])
    }

    @Test func roundingAddsUpAndBadFractionsAreRefused() throws {
        #expect(DatasetSplit.apportion(7, [0.5, 0.25, 0.25]) == [3, 2, 2])  // remainders .5, .75, .75
        #expect(DatasetSplit.apportion(10, [0.7, 0.15, 0.15]) == [7, 2, 1])  // a tie goes to the earlier part
        #expect(DatasetSplit.apportion(1, [0.7, 0.15, 0.15]) == [1, 0, 0])
        #expect(DatasetSplit.apportion(0, [0.7, 0.15, 0.15]) == [0, 0, 0])
        #expect(throws: DataError.self) { try DatasetSplit.random(count: 10, train: 0.5, val: 0.5, test: 0.5, seed: 0) }
        #expect(throws: DataError.self) { try DatasetSplit.random(count: 10, train: 1.2, val: -0.2, test: 0, seed: 0) }
        #expect(throws: DataError.self) { try DatasetSplit.random(count: 3, train: 1, val: 0, test: 0, seed: 0, strata: ["a"]) }
    }

    /// Published splits spell validation differently (firstgalaxydata: `valid`); all read as val.
    @Test(arguments: ["val", "valid", "validation", " Valid ", "VALIDATION"])
    func validationSpellings(value: String) throws {
        let s = try DatasetSplit.fromValues(["train", value, "test", value], column: "split") {
            DataError.Location(catalog: "c.csv", row: $0 + 1, line: $0 + 2)
        }
        #expect(s == DatasetSplit(train: [0], val: [1, 3], test: [2]))
    }

    @Test func splitColumnAndCatalogIntegration() throws {
        let rows = ["g1,images/g1.png,1,train", "g2,images/g2.png,0,VAL", "g3,images/g3.png,1, test "]
        let f = try CatalogFixture(header: "id_str,file_loc,ring,split", rows: rows,
                                   pngs: CatalogDatasetTests.goodPNGs)
        let ds = try CatalogDataset(catalog: f.catalog, options: CatalogOptions(labelColumns: ["ring"]))
        #expect(try ds.split(DatasetSplit.Options(column: "split")) == DatasetSplit(train: [0], val: [1], test: [2]))
        let strat = try ds.split(DatasetSplit.Options(train: 0.5, val: 0.5, test: 0, seed: 3, stratifyBy: "ring"))
        #expect(strat.train.count + strat.val.count == 3 && strat.test.isEmpty)
        let part = try DatasetSubset(ds, indices: [2, 0])
        #expect(part.count == 2 && part.id(at: 0) == "g3")
        #expect(try part.example(at: 1).id == "g1")
        #expect(throws: DataError.self) { try DatasetSubset(ds, indices: [3]) }

        try f.dir.write("catalog.csv", text: "id_str,file_loc,split\ng1,images/g1.png,train\ng2,images/g2.png,holdout\n")
        let bad = try CatalogDataset(catalog: f.catalog)
        #expect(throws: DataError.unknownSplitValue(DataError.Location(catalog: f.catalog, row: 2, line: 3),
                                                    column: "split", value: "holdout")) {
            try bad.split(DatasetSplit.Options(column: "split"))
        }
        #expect(throws: DataError.self) { try bad.split(DatasetSplit.Options(stratifyBy: "nope")) }
    }
}
