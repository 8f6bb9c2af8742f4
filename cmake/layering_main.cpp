// The main of the layering checks (CMakeLists.txt, shoal_layering_check):
// the executables exist to be linked, never to run.
int main() {
  return 0;
}
