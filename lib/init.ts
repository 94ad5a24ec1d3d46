// Stub until the learning rework moves the shared initialisation here.
export { unitDirections, initialBasis } from "./learning";
