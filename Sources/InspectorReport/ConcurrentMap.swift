import Dispatch

extension Array where Element: Sendable {
  /// `map` on all cores, in slices of at least `minimumSlice` elements; the result is in order, as `map`'s is.
  ///
  /// Each slice gets its own `state` from `makeState`, for work that reuses something across elements.
  func concurrentMap<State, T: Sendable>(
    minimumSlice: Int, makeState: @Sendable () -> State, _ transform: @Sendable (inout State, Element) -> T
  ) -> [T] {
    let sliceCount = Swift.max(1, Swift.min(64, count / Swift.max(1, minimumSlice)))
    let sliceLength = (count + sliceCount - 1) / sliceCount
    let slices = ResultSlots<[T]>(count: sliceCount)
    DispatchQueue.concurrentPerform(iterations: sliceCount) { slice in
      var state = makeState()
      let start = Swift.min(count, slice * sliceLength)
      let end = Swift.min(count, start + sliceLength)
      slices[slice] = self[start..<end].map { transform(&state, $0) }
    }
    return slices.values.flatMap { $0 ?? [] }
  }
}
