from rolkg.cli import main

main()
