/// A plain-text listing of a header, as `zoorun weights` prints it.
extension SafeTensorsHeader {
    /// One row per tensor in name order (name, dtype, shape, parameter count), a total of all
    /// elements (buffers such as running statistics included), then the metadata.
    public func table() -> String {
        let byName = Dictionary(tensors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var rows = [["name", "dtype", "shape", "parameters"]]
        for name in names {
            guard let info = byName[name] else { continue }
            rows.append([name, info.dtype.rawValue, "\(info.shape)", Self.grouped(info.elementCount)])
        }
        let total = tensors.reduce(0) { $0 + $1.elementCount }
        rows.append(["total", "", "", Self.grouped(total)])

        // Widths in characters, so that names with non-ASCII letters still line up.
        let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var out = ""
        for (index, row) in rows.enumerated() {
            if index == rows.count - 1 { out += String(repeating: "-", count: widths.reduce(6, +)) + "\n" }
            let left = (0..<3).map { row[$0] + String(repeating: " ", count: widths[$0] - row[$0].count) }
            let count = String(repeating: " ", count: widths[3] - row[3].count) + row[3]
            out += (left + [count]).joined(separator: "  ") + "\n"
        }
        out += "(\(tensors.count) tensors, \(Self.grouped(dataLength)) bytes of data)\n"
        for key in metadata.keys.sorted(by: SafeTensors.nameOrder) {
            out += "metadata \(key): \(metadata[key] ?? "")\n"
        }
        return out
    }

    /// An integer with thousands separators: 11,689,512.
    private static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}
