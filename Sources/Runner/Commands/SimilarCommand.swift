import ArgumentParser
import Foundation
import Framework

/// `zoorun similar`: the galaxies closest to one galaxy in representation space.
struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "List the k galaxies closest to one galaxy in representation space (cosine), like Galaxy Zoo's latent-space explorer.",
        discussion: "  zoorun similar --embeddings embeddings.csv --id J000411.19+020924.0 --k 1000 --out similar.csv"
    )

    @Option(help: "Embeddings CSV written by `zoorun embed`.") var embeddings: String
    @Option(help: "id_str of the query galaxy.") var id: String
    @Option(help: "How many neighbours.") var k = 1000
    @Option(help: "Output CSV: rank, id_str, cosine similarity.") var out: String = "similar.csv"
    @Flag(help: "Replace an existing --out file.") var overwrite = false

    func run() throws {
        do {
            try OutputFile.check(out, overwrite: overwrite)
            let table = try CSVTable.read(path: embeddings)
            guard table.header.first == "id_str" else {
                throw ConfigError(file: embeddings, message: "the first column must be id_str (write it with `zoorun embed`)")
            }
            var ids: [String] = [], vectors: [[Double]] = []
            for (r, row) in table.rows.enumerated() {
                let v = try row.dropFirst().map { s -> Double in
                    guard let x = Double(s), x.isFinite else {
                        throw ConfigError(file: embeddings, line: r + 2, message: "row \(r + 1): '\(s)' is not a number")
                    }
                    return x
                }
                let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
                ids.append(row[0])
                vectors.append(norm > 0 ? v.map { $0 / norm } : v)
            }
            guard let q = ids.firstIndex(of: id) else {
                let hint = nearest(id, in: ids).map { "; did you mean '\($0)'?" } ?? ""
                throw ConfigError(file: embeddings, message: "no galaxy with id_str '\(id)'\(hint)")
            }
            let scores = vectors.map { v in zip(v, vectors[q]).map(*).reduce(0, +) }
            let order = scores.indices.filter { $0 != q }.sorted { scores[$0] > scores[$1] }.prefix(k)
            let rows = order.enumerated().map { ["\($0.offset + 1)", ids[$0.element], String(format: "%.6f", scores[$0.element])] }
            try CSVTable(header: ["rank", "id_str", "cosine_similarity"], rows: rows).write(to: out)
            print("wrote \(out): the \(rows.count) galaxies closest to \(id)")
        } catch let e as ConfigError {
            throw CleanExit.failure(e.description)
        } catch let e as OutputError {
            throw CleanExit.failure(e.description)
        }
    }
}
