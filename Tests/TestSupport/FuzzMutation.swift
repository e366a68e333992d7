import Framework

/// Byte-level mutations for the seeded fuzzers (decoders, parsers, label imports): bit flips,
/// boundary bytes, truncation, duplicated and deleted ranges, header digit changes, random
/// bytes. Deterministic for a given generator state.
public enum FuzzMutation {
    /// One mutation of `seed`, chosen and shaped by `rng`.
    public static func mutate(_ seed: [UInt8], _ rng: inout RandomGenerator) -> [UInt8] {
        var b = seed
        func pos() -> Int { Int(rng.next() % UInt64(max(1, b.count))) }
        let rounds = 1 + Int(rng.next() % 3)
        for _ in 0..<rounds where !b.isEmpty {
            switch rng.next() % 7 {
            case 0:  // flip a few bits
                for _ in 0..<(1 + Int(rng.next() % 8)) { b[pos()] ^= UInt8(1 << (rng.next() % 8)) }
            case 1:  // overwrite bytes with boundary values
                let special: [UInt8] = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE]
                for _ in 0..<(1 + Int(rng.next() % 4)) { b[pos()] = special[Int(rng.next() % 6)] }
            case 2:  // truncate
                b = Array(b.prefix(pos()))
            case 3:  // duplicate a range somewhere else
                let start = pos(), len = min(b.count - start, 1 + Int(rng.next() % 64))
                b.insert(contentsOf: Array(b[start..<(start + len)]), at: pos())
            case 4:  // delete a range
                let start = pos(), len = min(b.count - start, 1 + Int(rng.next() % 64))
                b.removeSubrange(start..<(start + len))
            case 5:  // change an ASCII digit (FITS header values: NAXISn, BITPIX, BSCALE, …)
                let digits = b.indices.filter { b[$0] >= 0x30 && b[$0] <= 0x39 && $0 < 2880 * 3 }
                if !digits.isEmpty { b[digits[Int(rng.next() % UInt64(digits.count))]] = 0x30 + UInt8(rng.next() % 10) }
            default:  // random bytes
                for _ in 0..<(1 + Int(rng.next() % 16)) { b[pos()] = UInt8(truncatingIfNeeded: rng.next()) }
            }
        }
        return b
    }
}
