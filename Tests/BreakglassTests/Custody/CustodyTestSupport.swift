import PropertyBased

@testable import Custody

/// A deterministic generator for test data, from a seed PropertyBased chose (and prints on failure).
func custodySeededRandom(_ seed: UInt64) -> Xoshiro {
    Xoshiro(seed: (seed, seed ^ 0x9E37_79B9_7F4A_7C15, ~seed, seed &* 0xBF58_476D_1CE4_E5B9 | 1))
}

func custodyRandomSecret(length: Int, using random: inout Xoshiro) -> Secret {
    Secret((0..<length).map { _ in UInt8.random(in: 0...255, using: &random) })
}
