extension RandomGenerator {
    /// Fisher–Yates from the end, one draw per position: the order every seeded subset and
    /// epoch order in the project is drawn with, so a given seed keeps its galaxies.
    public mutating func shuffle<T>(_ items: inout [T]) {
        for i in stride(from: items.count - 1, to: 0, by: -1) { items.swapAt(i, Int(next() % UInt64(i + 1))) }
    }
}
