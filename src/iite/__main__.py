from iite.cli import main

main()
