import Dispatch

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension Array where Element: Sendable {
  /// `map` on all cores, in slices of at least `minimumSlice` elements; the result is in order, as `map`'s is.
  ///
  /// Each slice gets its own `state` from `makeState`, for work that reuses or sums something across
  /// elements; the states come back in the order of their slices.
  func concurrentMap<State: Sendable, T: Sendable>(
    minimumSlice: Int, makeState: @Sendable () -> State, _ transform: @Sendable (inout State, Element) -> T
  ) -> (values: [T], states: [State]) {
    let slices = concurrentSlices(minimumSlice: minimumSlice) { _, slice in
      var state = makeState()
      let values = slice.map { transform(&state, $0) }
      return (values: values, state: state)
    }
    return (slices.flatMap(\.values), slices.map(\.state))
  }

  /// `transform` of consecutive slices of at least `minimumSlice` elements, with their numbers from 0, on all
  /// cores, in order.
  ///
  /// There are at most four slices a core, enough for the cores to finish together, and at most 64: each slice
  /// has a cost of its own (the report context sums and joins them one by one).
  func concurrentSlices<T: Sendable>(minimumSlice: Int, _ transform: @Sendable (Int, ArraySlice<Element>) -> T) -> [T] {
    let sliceCount = Swift.max(1, Swift.min(64, 4 * Self.cores, count / Swift.max(1, minimumSlice)))
    let sliceLength = (count + sliceCount - 1) / sliceCount
    let slices = ResultSlots<T>(count: sliceCount)
    DispatchQueue.concurrentPerform(iterations: sliceCount) { slice in
      let start = Swift.min(count, slice * sliceLength)
      let end = Swift.min(count, start + sliceLength)
      slices[slice] = transform(slice, self[start..<end])
    }
    return slices.values.compactMap { $0 }
  }

  private static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }
}
