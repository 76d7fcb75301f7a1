import { FileRejectedError } from '../file_limits.ts';

/**
 * The layer to read of a file that holds several: the only one, or the one the form's `layer` names.
 * Several and none chosen is refused naming them, never "the first one" in silence.
 */
export function chooseLayer<T>(layers: readonly { name: string; value: T }[], wanted: string | null, what: string): T {
  if (layers.length === 0) throw new FileRejectedError('FILE_NO_LAYER', `The ${what} holds no layer with features`);
  if (wanted !== null) {
    const found = layers.find((layer) => layer.name.toLowerCase() === wanted.toLowerCase());
    if (!found) throw new FileRejectedError('LAYER_NOT_FOUND', `The ${what} has no layer "${wanted}"; its layers are: ${layers.map((layer) => layer.name).join(', ')}`);
    return found.value;
  }
  if (layers.length > 1) {
    throw new FileRejectedError('LAYER_REQUIRED', `The ${what} holds ${layers.length} layers: ${layers.map((layer) => layer.name).join(', ')}; choose one in the form field "layer"`);
  }
  return layers[0]!.value;
}
