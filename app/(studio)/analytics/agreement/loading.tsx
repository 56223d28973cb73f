// Each view has its own loading boundary: one at /analytics alone would keep the previous view on
// screen while this one is computed (a navigation between its children is a transition).
export { default } from "../loading";
