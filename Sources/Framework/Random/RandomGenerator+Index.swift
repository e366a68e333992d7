extension RandomGenerator {
    /// Uniform integer in 0..<n (n > 0), by Lemire's multiply-and-reject: unbiased, and
    /// fixed here rather than left to the standard library so that shuffles and crops stay
    /// the same across Swift versions.
    public mutating func uniformIndex(below n: Int) -> Int {
        precondition(n > 0, "uniformIndex(below:) needs n > 0, got \(n)")
        let bound = UInt64(n)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return Int(product.high)
    }
}
