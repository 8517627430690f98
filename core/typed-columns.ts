/** A typed column twice as long, its values at the front: how the fleet's typed stores grow (amortised O(1)). */
export function doubled(column: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer>;
export function doubled(column: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer>;
export function doubled(column: Float64Array<ArrayBuffer> | Uint32Array<ArrayBuffer>): Float64Array<ArrayBuffer> | Uint32Array<ArrayBuffer> {
  const bigger = column instanceof Float64Array ? new Float64Array(column.length * 2) : new Uint32Array(column.length * 2);
  bigger.set(column);
  return bigger;
}
