/// Where a clusterer puts one example: its cluster, the distance to that cluster's centre
/// (Euclidean in the clusterer's feature space), and the runner-up cluster.
public struct ClusterAssignment: Sendable, Equatable {
    public var cluster: Int
    public var distance: Float
    /// The next-nearest cluster (-1 when there is only one).
    public var secondBest: Int

    public init(cluster: Int, distance: Float, secondBest: Int) {
        self.cluster = cluster
        self.distance = distance
        self.secondBest = secondBest
    }

    /// Nearest and second-nearest of each row of an n×k matrix of squared distances.
    public static func nearest(squaredDistances d: [Float], rows n: Int, centres k: Int) -> [ClusterAssignment] {
        (0..<n).map { i in
            var best = 0, second = -1
            for j in 1..<max(k, 1) {
                if d[i * k + j] < d[i * k + best] { second = best; best = j }
                else if second < 0 || d[i * k + j] < d[i * k + second] { second = j }
            }
            return ClusterAssignment(cluster: best, distance: d[i * k + best].squareRoot(), secondBest: second)
        }
    }
}
